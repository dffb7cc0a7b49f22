/**
 * One job's output: {@link io.capstan.mixer.job.JobMixer} for composite (and web) jobs, one
 * output (uid "") of all uids; {@link io.capstan.mixer.job.IndividualJob} for individual jobs, one
 * output per uid whose frames ingest could not pass through. Event time: output frame t is
 * composed once every uid the output waits for has a watermark past t (a watermark W promises
 * nothing below W, so a record at W may still come); a composite waits for every uid from JOINED
 * until LEFT, an individual output only for its own uid. Live jobs stop waiting for a laggard after
 * the jitter buffer; what then arrives for an instant already made is late: dropped and counted.
 * A uid's records are applied at their own timestamps (join, leave, video stopped, layout changes),
 * so the output depends on the records, not on when they arrive, except for the jitter buffer
 * and for when a background or placeholder image is ready (images load off the loop).
 *
 * <p>Restart: the transaction commits offsets with the packets, but a job's in-memory state (the
 * current picture of each uid, audio not yet mixed) is not in Kafka. A new owner that meets a job
 * mid-stream starts its output where the records resume, with a Discontinuity packet and a fresh
 * encoder (IDR first).
 */
package io.capstan.mixer.job;
