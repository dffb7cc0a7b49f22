package io.capstan.mixer.compositor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.runtime.media.Natives;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void natives() {
    Natives.require();
  }

  /** A solid-colour image written by the JDK (PNG or JPEG). */
  static Path solidImage(Path dir, String name, int w, int h, Color c, String format) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    Path file = dir.resolve(name);
    assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    return file;
  }

  @Test
  void decodesAPngByPathAndByFileUrlIntoI420OfItsColour() throws IOException {
    Path png = solidImage(dir, "red.png", 101, 61, new Color(255, 0, 0), "png");
    for (String location : List.of(png.toString(), png.toUri().toString())) {
      try (SourcePicture p = ImageDecoder.decode(location, 1280, 720, Duration.ofSeconds(5))) {
        assertThat(p.width()).isEqualTo(100);
        assertThat(p.height()).isEqualTo(60);
        try (Compositor c = new Compositor(100, 60)) {
          YuvColor got = c.compose(List.of(new io.capstan.mixer.layout.Region("x", 0, 0, 100, 60, 0, 1,
              io.capstan.mixer.layout.RenderMode.CROP)), uid -> p, YuvColor.BLACK).colorAt(50, 30);
          assertThat(Math.abs(got.y() - 81)).isLessThanOrEqualTo(2);
          assertThat(Math.abs(got.u() - 90)).isLessThanOrEqualTo(2);
          assertThat(Math.abs(got.v() - 240)).isLessThanOrEqualTo(2);
        }
      }
    }
  }

  @Test
  void aLargeJpegIsScaledDownToFitTheCanvas() throws IOException {
    Path jpg = solidImage(dir, "big.jpg", 2000, 1000, Color.WHITE, "jpg");
    try (SourcePicture p = ImageDecoder.decode(jpg.toString(), 640, 360, Duration.ofSeconds(5))) {
      assertThat(p.width()).isEqualTo(640);
      assertThat(p.height()).isEqualTo(320);
    }
  }

  @Test
  void aMissingImageOrAForeignSchemeWarnsOnceAndGivesNothing() {
    List<String> warnings = new ArrayList<>();
    try (ImageCache cache = new ImageCache(640, 360, Duration.ofSeconds(2), warnings::add)) {
      String missing = dir.resolve("nope.png").toString();
      assertThat(cache.get(missing)).isNull();
      assertThat(cache.get(missing)).isNull();
      assertThat(cache.get("concat:/etc/passwd")).isNull();
      assertThat(cache.get(null)).isNull();
    }
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).contains("unsupported image URL scheme");
    assertThatThrownBy(() -> ImageDecoder.ffmpegUrl("ftp://x/y.png")).isInstanceOf(IllegalArgumentException.class);
  }
}
