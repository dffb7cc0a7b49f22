package io.capstan.segmenter.progress;

/** Where a record sits in capstan.files. */
public record FileRef(int partition, long offset) {
}
