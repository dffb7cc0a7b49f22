package io.capstan.notifier;

import io.capstan.runtime.service.ServiceLauncher;

/** {@code capstan-notifier}: runs the notifier alone. */
public final class NotifierMain {

  private NotifierMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run(NotifierService.NAME, args, NotifierService.PORT, NotifierService.settings(),
        NotifierService::new);
  }
}
