/** Where files go: the {@code ObjectStore} interface, its local file system store, and the factory picking one by vendor. */
package io.capstan.uploader.store;
