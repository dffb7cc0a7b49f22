/** capstan.files records: files cut into chunks of at most 4 MiB, and END_OF_FILES. */
package io.capstan.segmenter.files;
