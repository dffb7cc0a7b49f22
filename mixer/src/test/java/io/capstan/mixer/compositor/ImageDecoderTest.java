package io.capstan.mixer.compositor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.mixer.compositor.ImageDecoder.Format;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.mixer.testing.Images;
import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.Natives;
import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private static final long PIXELS = 4096L * 4096;

  @BeforeAll
  static void natives() {
    Natives.require();
  }

  @Test
  void decodesEachFormatIntoI420OfItsColour() {
    for (Format format : Format.values()) {
      String extension = format == Format.JPEG ? "jpg" : format.name().toLowerCase();
      byte[] image = Images.solid(101, 61, new Color(255, 0, 0), extension);
      try (SourcePicture p = ImageDecoder.decode(image, format, 1280, 720, PIXELS)) {
        assertThat(p.width()).as(extension).isEqualTo(100);
        assertThat(p.height()).isEqualTo(60);
        try (Compositor c = new Compositor(100, 60)) {
          YuvColor got = c.compose(List.of(new Region("x", 0, 0, 100, 60, 0, 1, RenderMode.CROP)), uid -> p,
              YuvColor.BLACK).colorAt(50, 30);
          // GIF's palette and JPEG's quantisation move the colour a little
          int tolerance = format == Format.PNG || format == Format.BMP ? 2 : 6;
          assertThat(Math.abs(got.y() - 81)).as("%s: %s", extension, got).isLessThanOrEqualTo(tolerance);
          assertThat(Math.abs(got.u() - 90)).as("%s: %s", extension, got).isLessThanOrEqualTo(tolerance);
          assertThat(Math.abs(got.v() - 240)).as("%s: %s", extension, got).isLessThanOrEqualTo(tolerance);
        }
      }
    }
  }

  @Test
  void aLargeJpegIsScaledDownToFitTheCanvas() {
    byte[] jpg = Images.solid(2000, 1000, Color.WHITE, "jpg");
    try (SourcePicture p = ImageDecoder.decode(jpg, Format.JPEG, 640, 360, PIXELS)) {
      assertThat(p.width()).isEqualTo(640);
      assertThat(p.height()).isEqualTo(320);
    }
  }

  @Test
  void theDecoderItselfRefusesAPictureOverThePixelLimit() {
    // the second line of defence, should a header ever be read wrong
    byte[] png = Images.png(200, 200, Color.RED);
    assertThatThrownBy(() -> ImageDecoder.decode(png, Format.PNG, 640, 360, 10_000))
        .isInstanceOf(FFmpegException.class);
  }

  @Test
  void bytesThatAreNotTheImageSaidFailToDecode() {
    assertThatThrownBy(() -> ImageDecoder.decode("hello".getBytes(), Format.PNG, 640, 360, PIXELS))
        .isInstanceOf(FFmpegException.class).hasMessageContaining("PNG");
  }
}
