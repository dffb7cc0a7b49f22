package io.capstan.gateway.whip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The page that publishes a browser's camera and microphone into a channel (publish.html beside this class). */
final class PublishPage {

  private PublishPage() {
  }

  static byte[] html() {
    try (InputStream in = PublishPage.class.getResourceAsStream("publish.html")) {
      if (in == null) {
        throw new IllegalStateException("publish.html is missing from the gateway's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
