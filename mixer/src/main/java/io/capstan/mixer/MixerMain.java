package io.capstan.mixer;

import io.capstan.runtime.service.ServiceLauncher;

/** {@code capstan-mixer}: runs the mixer service until SIGTERM. */
public final class MixerMain {

  private MixerMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run(MixerService.NAME, args, MixerService.HTTP_PORT, MixerService.settings(), MixerService::new);
  }
}
