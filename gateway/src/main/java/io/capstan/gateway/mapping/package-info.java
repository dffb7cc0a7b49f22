/**
 * Pure translation between the hosted product's REST bodies and Capstan's records: start body to
 * {@link io.capstan.schemas.JobSpec}, update and updateLayout bodies to commands, job status to
 * the query and stop answers. No Kafka, no clock, no I/O: every rule of
 * {@code shared/reference/agora-cloud-recording.md} that a body must satisfy is checked here and
 * refused with an {@link io.capstan.gateway.mapping.InvalidRequestException} whose reason names
 * the field by its JSON path ({@code clientRequest.recordingConfig.transcodingConfig.width: must be
 * between 16 and 1920, got 4000}). Unknown fields are refused too, so a misspelling
 * ({@code unsubscribeVideoUids} inside recordingConfig) does not pass silently.
 *
 * <h2>Capstan extensions of the start body</h2>
 * <ul>
 *   <li>{@code clientRequest.sources: [{uid, url, lowUrl?, audio?, video?}]} — the job records
 *       exactly these streams instead of following the channel directory ({@code capstan.channels}).
 *       URLs: srt, rtmp(s), rtsp(s), udp, rtp, http(s); {@code file:} only when the gateway allows
 *       it ({@code gateway.sources.files}, off by default: it reads the ingest machines' disks).
 *       uids are unique; audio and video default to true.</li>
 *   <li>{@code clientRequest.pacing: "realtime" | "fast"} — {@code fast} (media files named in
 *       {@code sources} only) records as fast as the media decodes, output time following media
 *       time; default {@code realtime}.</li>
 *   <li>{@code clientRequest.notificationConfig: {url, secret?, eventTypes?: [numbers]}} — this
 *       job's own webhook subscriber, besides the globally configured ones.</li>
 *   <li>{@code clientRequest.storageConfig}: vendor 99 (local file system of the uploader,
 *       {@code bucket} a folder under its root), {@code region} as a code or the vendor's region
 *       name, {@code endpoint} (an S3-compatible store addressed path-style); storageConfig may be
 *       left out (local storage under the uploader's root). update accepts storageConfig again to
 *       renew temporary credentials.</li>
 *   <li>{@code clientRequest.recordingFileConfig.maxFileDuration} (minutes per MP4, 1 … 720,
 *       default 120) and {@code sliceSeconds} (HLS slice length, 2 … 30, default 10).</li>
 * </ul>
 *
 * <h2>Web mode</h2>
 * The {@code web_recorder_service} page becomes the job's only source (uid {@code web}, url = the
 * page) and its viewport, fps and bitrate the canvas ({@code JobSpec.transcoding});
 * {@code maxVideoDuration} becomes {@code files.maxFileDurationMinutes}. maxRecordingHour, mobile,
 * onhold, readyTimeout and the {@code rtmp_publish_service} output are validated but have no place
 * in the JobSpec yet.
 */
package io.capstan.gateway.mapping;
