package io.capstan.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.ingest.source.CanvasFit.Size;
import org.junit.jupiter.api.Test;

class CanvasFitTest {

  @Test
  void scalesDownKeepingTheAspectRatio() {
    assertThat(CanvasFit.fit(1280, 720, new Size(640, 360))).isEqualTo(new Size(640, 360));
    assertThat(CanvasFit.fit(1280, 720, new Size(360, 640))).isEqualTo(new Size(360, 202));
  }

  @Test
  void neverScalesUp() {
    assertThat(CanvasFit.fit(320, 240, new Size(640, 360))).isEqualTo(new Size(320, 240));
  }

  @Test
  void keepsSizesEven() {
    assertThat(CanvasFit.fit(321, 241, null)).isEqualTo(new Size(320, 240));
    assertThat(CanvasFit.fit(1001, 1001, new Size(333, 999))).isEqualTo(new Size(332, 332));
  }
}
