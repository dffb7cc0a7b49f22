/**
 * One composite job's output. Event time: output frame t is composed once every uid in the job
 * has a watermark at or past t (a uid is waited for from JOINED until LEFT); live jobs stop
 * waiting for a laggard after the jitter buffer. A uid's records are applied at their own
 * timestamps (join, leave, video stopped, layout changes), so the output depends on the records,
 * not on when they arrive, except for the jitter buffer of live jobs.
 *
 * <p>Restart: the transaction commits offsets with the packets, but a job's in-memory state (the
 * current picture of each uid, audio not yet mixed) is not in Kafka. A new owner that meets a job
 * mid-stream starts its output where the records resume, with a Discontinuity packet and a fresh
 * encoder (IDR first).
 */
package io.capstan.mixer.job;
