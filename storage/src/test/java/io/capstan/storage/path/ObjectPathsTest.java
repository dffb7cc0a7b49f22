package io.capstan.storage.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectPathsTest {

  @Test
  void joinsLettersAndDigitsWithSlashes() {
    assertThat(ObjectPaths.prefix(List.of("dir", "x"))).isEqualTo("dir/x");
    assertThat(ObjectPaths.prefix(List.of("Rec2026", "A1"))).isEqualTo("Rec2026/A1");
    assertThat(ObjectPaths.prefix(List.of())).isEmpty();
    assertThat(ObjectPaths.prefix(null)).isEmpty();
    assertThat(ObjectPaths.key(List.of("dir", "x"), "s_c.m3u8")).isEqualTo("dir/x/s_c.m3u8");
    assertThat(ObjectPaths.key(List.of(), "s_c.m3u8")).isEqualTo("s_c.m3u8");
  }

  @Test
  void refusesAnythingButLettersAndDigits() {
    for (String bad : List.of("a-b", "a_b", "a/b", "..", "", "a b", "é", "a.b")) {
      assertThatThrownBy(() -> ObjectPaths.prefix(List.of("ok", bad)))
          .as(bad).isInstanceOf(InvalidPathException.class).hasMessageContaining("fileNamePrefix[1]");
    }
    assertThatThrownBy(() -> ObjectPaths.prefix(Arrays.asList("ok", null))).isInstanceOf(InvalidPathException.class);
  }

  @Test
  void allowsAtMost128Characters() {
    assertThat(ObjectPaths.prefix(List.of("a".repeat(63), "b".repeat(64)))).hasSize(128);
    assertThatThrownBy(() -> ObjectPaths.prefix(List.of("a".repeat(64), "b".repeat(64))))
        .isInstanceOf(InvalidPathException.class).hasMessageContaining("129");
  }

  @Test
  void fileNamesAreOnePathElement() {
    for (String bad : List.of("", ".", "..", "a/b", "a\\b")) {
      assertThatThrownBy(() -> ObjectPaths.requireFileName(bad)).as(bad).isInstanceOf(InvalidPathException.class);
    }
  }
}
