package io.capstan.gateway.mapping;

import io.capstan.schemas.JobSpec;
import java.util.List;

/**
 * A validated start body: who asked, the job it starts, and the fields it carried that Capstan
 * does not know (accepted and ignored).
 */
public record StartRequest(Caller caller, JobSpec spec, List<String> unknownFields) {
}
