/**
 * Where files go: the {@code ObjectStore} interface and one implementation per protocol, picked by
 * {@code StoreFactory} from storageConfig.vendor: the local file system (99), S3 and the
 * S3-compatible vendors ({@code s3}: 0-4, 7, 8, 11, endpoints in {@code S3Vendor}), Azure Blob
 * ({@code azure}: 5) and Google Cloud Storage ({@code gcs}: 6). Vendor SDKs stay in these packages.
 * Failures are {@code StoreException}s with a category: the user's (refused keys, missing bucket,
 * wrong region: permanent) or the store's (unreachable, 5xx: retried); their messages are Capstan's
 * own, with vendor text redacted, and never carry a key.
 */
package io.capstan.storage;
