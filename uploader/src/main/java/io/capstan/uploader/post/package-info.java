/**
 * After the recording: postponed transcoding and audio mix (JobSpec.afterRecording). When a
 * recording that asks for it has all its files stored (Uploaded), {@code PostProcessingStarter}
 * starts the derived jobs through capstan.commands like any job (their sources are the stored
 * files) and sends transcoder_started (80) on the recording. {@code PostProcessingTracker} follows
 * the derived jobs on capstan.events, from any uploader instance, and when they have all ended sends
 * transcoder_completed (81) and postpone_transcode_final_result (1001) on the recording, counting
 * download_failed (90) of its files.
 */
package io.capstan.uploader.post;
