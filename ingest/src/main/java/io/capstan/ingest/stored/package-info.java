/**
 * Jobs whose sources are a finished recording's files in storage (JobSpec.postProcessing:
 * postponed transcoding, audio mix, re-composition). {@code StoredSources} prepares such a job at
 * Start (finds the recording, sizes the canvas, fixes the timeline), {@code StoredPlayback} copies
 * the files into a temp folder through the storage module and publishes them, merged in time order,
 * on the ORIGINAL session's timeline: a uid's presence comes from its slices, so a uid that left and
 * came back leaves (LEFT) and joins (JOINED) again, and the gap is background and silence downstream.
 */
package io.capstan.ingest.stored;
