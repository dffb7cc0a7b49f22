package io.capstan.notifier.delivery;

import io.capstan.schemas.Webhook;
import java.util.List;

/** The subscribers a job named in its start request (JobSpec.webhooks). */
@FunctionalInterface
public interface JobWebhooks {

  List<Webhook> of(String jobId);
}
