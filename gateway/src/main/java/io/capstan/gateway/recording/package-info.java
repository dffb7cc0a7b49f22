/**
 * The six calls without HTTP or Kafka: {@link io.capstan.gateway.recording.Recordings} checks
 * resourceIds, finds the job in the views ({@link io.capstan.gateway.recording.JobLookup}), maps the
 * body, writes the command ({@link io.capstan.gateway.recording.CommandSink}) and builds the
 * answer. A job is "ended" (404) once its status says exited (8, 20); "exiting" (49) from status 6
 * or 7, from a spec with running=false, or from a stop this gateway sent.
 */
package io.capstan.gateway.recording;
