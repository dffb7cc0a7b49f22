package io.capstan.gateway.mapping;

import io.capstan.schemas.JobSpec;

/** A validated start body: who asked and the job it starts. */
public record StartRequest(Caller caller, JobSpec spec) {
}
