/**
 * The transactional stage: consume → process → produce → commit, one Kafka transaction per poll,
 * shared by the mixer and the segmenter. The service implements {@link
 * io.capstan.runtime.kafka.stage.StageProcessor} (what one batch does, and what to forget when
 * output is thrown away); {@link io.capstan.runtime.kafka.stage.TransactionalStage} owns the
 * clients, the thread and every decision about failures, so both services recover alike:
 *
 * <ul>
 *   <li>a blocking transactional call that timed out is called again, never followed by another
 *       (the producer's contract: the request may still complete);</li>
 *   <li>an abortable failure aborts, a fenced or fatally failed producer is replaced by a new one
 *       with the same transactional.id; either way every assigned partition goes back to its
 *       committed offset and the processor resets;</li>
 *   <li>the broker being away is waited out with backoff while {@code /ready} says what the stage
 *       waits for; only no rights or an unsupported broker end it.</li>
 * </ul>
 */
package io.capstan.runtime.kafka.stage;
