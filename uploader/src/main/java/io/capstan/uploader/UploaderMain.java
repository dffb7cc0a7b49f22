package io.capstan.uploader;

import io.capstan.runtime.service.ServiceLauncher;

/** Runs the uploader alone: {@code --config FILE}, {@code --set name=value}. */
public final class UploaderMain {

  private UploaderMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("uploader", args, UploaderSettings.HTTP_PORT, UploaderSettings.settings(),
        UploaderService::new);
  }
}
