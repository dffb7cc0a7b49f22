package io.capstan.segmenter;

import io.capstan.runtime.service.ServiceLauncher;

/** Runs the segmenter alone: {@code --config FILE}, {@code --set name=value}. */
public final class SegmenterMain {

  private SegmenterMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("segmenter", args, SegmenterSettings.HTTP_PORT, SegmenterSettings.settings(),
        SegmenterService::new);
  }
}
