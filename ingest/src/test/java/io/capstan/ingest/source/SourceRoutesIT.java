package io.capstan.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.capstan.ingest.TestMedia;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller's HLS source reaches only what the address rule allows, also where FFmpeg follows the
 * playlist or a redirect by itself. Two loopback addresses stand for the internet (127.0.0.1,
 * allowed here) and the operator's network (127.0.0.2, refused here).
 */
class SourceRoutesIT {

  private static final SourcePolicy CALLER = new SourcePolicy(false,
      AddressPolicy.refusing(a -> a.getHostAddress().equals("127.0.0.2")));

  @TempDir
  Path dir;
  private HttpServer outside;
  private HttpServer inside;
  private final AtomicInteger insideRequests = new AtomicInteger();
  private final StreamOpener opener = new StreamOpener(Duration.ofSeconds(5));

  @BeforeEach
  void serve() throws Exception {
    List<String> hls = new ArrayList<>(TestMedia.H264_AAC);
    hls.addAll(List.of("-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod"));
    TestMedia.make(dir.resolve("playlist.m3u8"), 3, hls);
    inside = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 16);
    inside.createContext("/", exchange -> {
      insideRequests.incrementAndGet();
      byte[] body = Files.readAllBytes(dir.resolve(exchange.getRequestURI().getPath().substring(1)));
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    inside.start();
    String insideBase = "http://127.0.0.2:" + inside.getAddress().getPort() + "/";
    // A playlist that sends its segments to the inside address.
    Files.writeString(dir.resolve("evil.m3u8"), Files.readString(dir.resolve("playlist.m3u8"))
        .replaceAll("(?m)^(playlist\\d+\\.ts)$", insideBase + "$1"));
    outside = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    outside.createContext("/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring(1);
      if (name.equals("redirect.m3u8")) {
        exchange.getResponseHeaders().set("Location", insideBase + "playlist.m3u8");
        exchange.sendResponseHeaders(302, -1);
      } else {
        byte[] body = Files.readAllBytes(dir.resolve(name));
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    outside.start();
  }

  @AfterEach
  void stop() {
    outside.stop(0);
    inside.stop(0);
    opener.close();
  }

  private StreamSpec caller(String url) {
    return new StreamSpec("1", SourceUrl.parse(url), true, true, null, Map.of(), false, 0, null).checkedBy(CALLER);
  }

  private String outside(String name) {
    return "http://127.0.0.1:" + outside.getAddress().getPort() + "/" + name;
  }

  /** Video frames FFmpeg gets from {@code stream}; 0 when it cannot open it. */
  private int pictures(StreamSpec stream) {
    int pictures = 0;
    try (FFmpegFrameGrabber grabber = opener.open(stream)) {
      Frame frame;
      while ((frame = grabber.grabFrame(false, true, true, false)) != null) {
        pictures++;
      }
    } catch (FrameGrabber.Exception e) {
      // refused or unreadable: what the caller's recording reports
    }
    return pictures;
  }

  @Test
  void anAllowedPlaylistIsReadThroughTheProxy() {
    assertThat(pictures(caller(outside("playlist.m3u8")))).isGreaterThan(30);
    assertThat(insideRequests).hasValue(0);
  }

  @Test
  void segmentsOnAnInsideAddressAreNeverFetched() {
    assertThat(pictures(caller(outside("evil.m3u8")))).isZero();
    assertThat(insideRequests).hasValue(0);
  }

  @Test
  void aRedirectToAnInsideAddressIsNotFollowed() {
    assertThat(pictures(caller(outside("redirect.m3u8")))).isZero();
    assertThat(insideRequests).hasValue(0);
  }

  @Test
  void theOperatorsOwnStreamsGoStraight() {
    StreamSpec directory = new StreamSpec("1", SourceUrl.parse("http://127.0.0.2:" + inside.getAddress().getPort()
        + "/playlist.m3u8"), true, true, null, Map.of(), false, 0, null);
    assertThat(pictures(directory)).isGreaterThan(30);
  }

  @Test
  void plainStreamsAreOpenedOnTheAddressChecked() throws Exception {
    assertThat(SourceRoutes.pinned("rtmp://media.example:1935/live/key?x=1", InetAddress.getByName("203.0.113.9")))
        .isEqualTo("rtmp://203.0.113.9:1935/live/key?x=1");
    assertThat(SourceRoutes.pinned("srt://media.example:9000?streamid=a", InetAddress.getByName("2001:db8::1")))
        .isEqualTo("srt://[2001:db8:0:0:0:0:0:1]:9000?streamid=a");
  }
}
