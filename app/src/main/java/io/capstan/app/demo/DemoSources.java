package io.capstan.app.demo;

import io.capstan.schemas.Source;
import java.util.List;

/** Three generated participants: distinct test patterns, each with its own tone (300, 500, 700 Hz). */
final class DemoSources {

  private DemoSources() {
  }

  static List<Source> three() {
    return List.of(
        source("1001", "testsrc2", 300),
        source("1002", "smptebars", 500),
        source("1003", "rgbtestsrc", 700));
  }

  private static Source source(String uid, String pattern, int toneHz) {
    String graph = pattern + "=size=640x360:rate=15[out0];sine=frequency=" + toneHz + ":sample_rate=48000[out1]";
    return Source.newBuilder().setUid(uid).setUrl("lavfi:" + graph).build();
  }
}
