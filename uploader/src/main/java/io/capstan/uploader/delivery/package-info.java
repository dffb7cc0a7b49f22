/** Delivery of capstan.files to the stores: order, commits after acknowledgement, retries, events. */
package io.capstan.uploader.delivery;
