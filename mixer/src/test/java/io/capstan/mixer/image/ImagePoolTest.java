package io.capstan.mixer.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.testing.ImageServer;
import io.capstan.mixer.testing.ImageServer.Trickle;
import io.capstan.mixer.testing.Images;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.media.Natives;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image pool against a real HTTP server, seen as the mixing loop sees it (an {@link ImageCache}
 * asked every frame): what is ready, what is not yet, and the one warning for what never will be.
 */
class ImagePoolTest {

  private final ImageServer server = new ImageServer();
  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  static void natives() {
    Natives.require();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** The cache belongs to one thread (the loop's): awaitility asks it from the test's own. */
  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInSameThread();
  }

  private static ImagePool pool(String... settings) {
    Map<String, String> values = new HashMap<>(Map.of("addresses.allow.private", "true"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    return new ImagePool(ImageSettings.from(Config.of(values)));
  }

  /** The warning the job reports for {@code location}, once it has failed. */
  private String warningFor(ImageCache cache, String location) {
    String withoutQuery = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
    String name = withoutQuery.substring(withoutQuery.lastIndexOf('/'));
    await().until(() -> {
      assertThat(cache.get("backgroundImage", location)).isNull();
      cache.reportFailures();
      return warnings.stream().anyMatch(w -> w.contains(name));
    });
    return warnings.stream().filter(w -> w.contains(name)).findFirst().orElseThrow();
  }

  @Test
  void aTricklingServerHoldsBackNeitherTheLoopNorAnotherImage() {
    byte[] white = Images.png(64, 48, Color.WHITE);
    Trickle slow = server.trickle("/slow.png", white, Duration.ofSeconds(1));
    String fast = server.serve("/fast.png", Images.png(64, 48, Color.GREEN));
    try (ImagePool pool = pool("mixer.image.fetch.timeout", "3s", "mixer.image.fetch.threads", "2");
         ImageCache cache = new ImageCache(pool, 640, 360, warnings::add)) {
      long began = System.nanoTime();
      assertThat(cache.get("backgroundImage", slow.url())).as("not there yet").isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the loop does not wait")
          .isLessThan(Duration.ofMillis(200));

      SourcePicture green = await().until(() -> cache.get("defaultUserBackgroundImage", fast), Objects::nonNull);
      assertThat(green.width()).isEqualTo(64);
      assertThat(slow.sending()).as("the slow image still trickles in meanwhile").isTrue();
      assertThat(cache.get("backgroundImage", slow.url())).isNull();

      // the deadline cuts the trickle off: one warning naming the field, and the connection goes
      assertThat(warningFor(cache, slow.url())).contains("backgroundImage", "/slow.png", "longer than 3 s",
          "mixer.image.fetch.timeout");
      await().until(slow::cutOff);
      assertThat(slow.sent()).as("cut off, not read to its end").isLessThan(white.length);
      cache.reportFailures();
      assertThat(warnings).as("reported once, not once per frame").hasSize(1);
    }
  }

  @Test
  void aJobThatEndsLetsGoOfItsSlowImage() {
    Trickle slow = server.trickle("/slow.png", Images.png(64, 48, Color.WHITE), Duration.ofSeconds(1));
    try (ImagePool pool = pool("mixer.image.fetch.threads", "1")) {
      ImageCache cache = new ImageCache(pool, 640, 360, warnings::add);
      cache.get("backgroundImage", slow.url());
      await().until(() -> slow.sent() > 0);
      cache.close();
      await().until(slow::cutOff);
      await().until(() -> pool.inFlight() == 0);
      // the pool's only thread is free again
      String fast = server.serve("/fast.png", Images.png(64, 48, Color.GREEN));
      try (ImageCache next = new ImageCache(pool, 640, 360, warnings::add)) {
        await().until(() -> next.get("backgroundImage", fast), Objects::nonNull);
      }
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void anImageOverThePixelLimitIsRefusedOnItsHeaderBeforeDecoding() {
    // a few dozen bytes claiming 30000 x 30000 (3.6 GB as RGBA) with no picture data behind them
    String claims = server.serve("/claims.png", Images.pngClaiming(30_000, 30_000));
    String real = server.serve("/real.png", Images.png(200, 200, Color.RED));
    try (ImagePool pool = pool();
         ImagePool small = pool("mixer.image.max.pixels", "10000");
         ImageCache cache = new ImageCache(pool, 640, 360, warnings::add);
         ImageCache smallCache = new ImageCache(small, 640, 360, warnings::add)) {
      assertThat(warningFor(cache, claims)).contains("30000x30000 pixels", "16777216", "mixer.image.max.pixels");
      assertThat(warningFor(smallCache, real)).contains("200x200 pixels", "10000", "mixer.image.max.pixels");
    }
  }

  @Test
  void anImageOverTheByteLimitIsRefusedAndNotDownloaded() {
    String announced = server.serve("/announced.png", new byte[100_000]);
    Trickle endless = server.endless("/endless.png");
    try (ImagePool pool = pool("mixer.image.max.bytes", "65536");
         ImageCache cache = new ImageCache(pool, 640, 360, warnings::add)) {
      assertThat(warningFor(cache, announced)).contains("larger than the 65536 bytes", "mixer.image.max.bytes");
      assertThat(warningFor(cache, endless.url())).contains("larger than the 65536 bytes");
      await().until(endless::cutOff);
      assertThat(endless.sent()).as("the body stopped being read").isLessThan(64L << 20);
    }
  }

  @Test
  void aLoopbackUrlIsRefusedUnlessPrivateAddressesAreAllowed() {
    String image = server.serve("/inside.png", Images.png(64, 48, Color.BLUE));
    try (ImagePool strict = pool("addresses.allow.private", "false");
         ImageCache cache = new ImageCache(strict, 640, 360, warnings::add)) {
      assertThat(warningFor(cache, image)).contains("backgroundImage", "refused", "127.0.0.1", "loopback",
          "addresses.allow.private");
      assertThat(server.requests()).as("never connected").isZero();
    }
    try (ImagePool open = pool("addresses.allow.private", "true");
         ImageCache cache = new ImageCache(open, 640, 360, warnings::add)) {
      await().until(() -> cache.get("backgroundImage", image), Objects::nonNull);
    }
  }

  @Test
  void redirectsAreFollowedAFewTimesAndOnlyToHttp() {
    String image = server.serve("/target.png", Images.png(64, 48, Color.BLUE));
    String once = server.redirect("/once", image);
    String loop = server.redirect("/loop", server.url("/loop"));
    String toFile = server.redirect("/to-file", "file:///etc/passwd");
    try (ImagePool pool = pool();
         ImageCache cache = new ImageCache(pool, 640, 360, warnings::add)) {
      await().until(() -> cache.get("backgroundImage", once), Objects::nonNull);
      assertThat(warningFor(cache, loop)).contains("more than 3 redirects");
      assertThat(warningFor(cache, toFile)).contains("only http and https");
    }
  }

  @Test
  void onlyHttpAndHttpsUrlsAreFetchedAndSecretsStayOutOfWarnings() {
    String missing = server.status("/missing.png", 404) + "?token=s3cret";
    try (ImagePool pool = pool();
         ImageCache cache = new ImageCache(pool, 640, 360, warnings::add)) {
      for (String location : List.of("file:///etc/passwd", "/etc/hosts", "concat:/etc/group",
          "ftp://example.com/a.png")) {
        assertThat(warningFor(cache, location)).contains("only http and https");
      }
      assertThat(warningFor(cache, missing)).contains("HTTP 404", "token=****").doesNotContain("s3cret");
      String notAnImage = server.serve("/text.png", "hello".getBytes());
      assertThat(warningFor(cache, notAnImage)).contains("not a PNG, JPEG, GIF or BMP image");
    }
  }
}
