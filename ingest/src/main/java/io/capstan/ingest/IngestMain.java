package io.capstan.ingest;

import io.capstan.runtime.service.ServiceLauncher;

/** {@code capstan-ingest}: runs the ingest service until SIGTERM. */
public final class IngestMain {

  private IngestMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("ingest", args, IngestService.HTTP_PORT, IngestService.settings(), IngestService::new);
  }
}
