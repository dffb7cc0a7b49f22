package io.capstan.app.bench;

import io.capstan.webrtc.RtcSettings;
import io.capstan.webrtc.WhipClient;
import io.capstan.webrtc.WhipPublication;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's WHIP publisher, in a process of its own so that its encoding is not billed to
 * the recording: {@code <endpoint> <token> <VP8|H264> <file>}; publishes until stdin closes.
 */
public final class WhipPublisherMain {

  private WhipPublisherMain() {
  }

  public static void main(String[] args) throws Exception {
    FileMedia media = new FileMedia(Path.of(args[3]));
    try (WhipPublication publication = WhipClient.publish(URI.create(args[0]), args[1], RtcSettings.defaults(), media,
        args[2], Duration.ofSeconds(20))) {
      System.out.println("publishing " + publication.location());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the bench closes our stdin
      }
    } finally {
      media.stop();
    }
    System.exit(0);
  }
}
