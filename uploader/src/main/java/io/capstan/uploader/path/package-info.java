/** Object keys and the reference's fileNamePrefix rule; pure. */
package io.capstan.uploader.path;
