/**
 * Delivery of capstan.files to the stores: order, commits after acknowledgement (never past the
 * first chunk of an unfinished file), retries with backoff, the switch to the backup store, the
 * checks of a job's storage settings when its spec appears, and the uploader's events.
 */
package io.capstan.uploader.delivery;
