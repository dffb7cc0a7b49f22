/**
 * Ingest: job lifecycles and sources to raw frames (and, for individual jobs, to untouched packets).
 *
 * <ul>
 *   <li>{@code command}: the capstan.commands consumer (group capstan-ingest). Partition ownership is
 *   job ownership: an assigned partition resumes its running jobs from capstan.jobs (a Discontinuity
 *   record first), a revoked one lets its jobs go without ending them.</li>
 *   <li>{@code job}: validation (the shared {@link io.capstan.runtime.spec.JobSpecValidator}, pure), one
 *   {@link io.capstan.ingest.job.Job} per running job (Start, Update, UpdateLayout, Stop, maxIdleTime,
 *   the end of a FAST job's sources), subscription filters.</li>
 *   <li>{@code source}: one {@link io.capstan.ingest.source.SourceReader} thread per uid, FFmpeg
 *   (JavaCV) grabbing yuv420p no larger than the canvas and s16 48 kHz, mapped onto the job
 *   timeline and paced (REALTIME) or not (FAST); live streams reconnect with backoff. Individual
 *   jobs pass what HLS carries through untouched ({@link io.capstan.ingest.source.HlsCodecs}: H.264,
 *   H.265, AAC) as capstan.packets Packets: video as Annex B with its SPS/PPS in band and in the
 *   config's extradata (h264_mp4toannexb / hevc_mp4toannexb), AAC raw with its AudioSpecificConfig
 *   (aac_adtstoasc), config on every key packet, pts/dts kept exact on the job timeline. Audio HLS
 *   cannot carry (Opus) beside such video is decoded to frames; a source whose video HLS cannot
 *   carry (VP8...) is decoded whole, and the mixer re-encodes what arrives as frames.</li>
 *   <li>{@code publish}: capstan.frames records per uid, with clamped timestamps so that the
 *   watermark promise holds, and the job-level records (EndOfJob last). Passed-through packets go
 *   to capstan.packets; every one is acknowledged before EndOfJob is written, since the mixer ends
 *   the job's packet stream when it reads that EndOfJob. Stream states and watermarks of a
 *   passed-through uid stay on capstan.frames.</li>
 *   <li>{@code timeline}: job-time arithmetic and pacing.</li>
 *   <li>{@code directory}: capstan.channels, followed by jobs without explicit sources.</li>
 *   <li>{@code web}: web page recording ({@code mode=web}): one isolated Chromium/Xvfb/PulseAudio
 *   page session per job ({@link io.capstan.ingest.web.WebJob}), published as uid "web" on a
 *   timeline that leaves holds out ({@link io.capstan.ingest.web.RecordedTime}).</li>
 * </ul>
 */
package io.capstan.ingest;
