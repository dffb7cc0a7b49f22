package io.capstan.storage.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {

  private static final Path DIR = Path.of("/tmp/capstan-test/uid0");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ../../etc/x                  | '..'
      ..                           | '..'
      .                            | '..'
      a/../../x                    | '..'
      a/./b                        | '..'
      a//b                         | '..'
      a/                           | '..'
      /etc/passwd                  | absolute
      /                            | absolute
      ..\\x                        | backslash
      a\\b.ts                      | backslash
      C:x.ts                       | drive
      c:/windows/x                 | drive
      """)
  void namesLeavingTheFolderAreRefused(String name, String why) {
    for (boolean entry : new boolean[] {false, true}) {
      assertThatThrownBy(() -> resolve(entry, name)).as(name)
          .isInstanceOf(InvalidPathException.class)
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining(why);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:x.ts", "http://evil.example/x.ts", "concat:a.ts", "pipe:1", "data:,x", "abc-pp-7:x"})
  void playlistEntriesWithASchemeAreRefused(String uri) {
    assertThatThrownBy(() -> SafePaths.playlistEntry(DIR, uri)).as(uri)
        .isInstanceOf(InvalidPathException.class).hasMessageContaining("'" + uri + "'").hasMessageContaining("scheme");
  }

  @Test
  void aKeyWithAColonIsAFileInTheLocalStore() {
    // Object keys start with the sid, and a derived job's id may hold a uid with a colon: that is a file name.
    assertThat(SafePaths.resolveInside(DIR, "abc-pp-7:x_room.mp4")).isEqualTo(DIR.resolve("abc-pp-7:x_room.mp4"));
  }

  private static Path resolve(boolean entry, String name) {
    return entry ? SafePaths.playlistEntry(DIR, name) : SafePaths.resolveInside(DIR, name);
  }

  @Test
  void emptyAndControlCharactersAreRefused() {
    assertThatThrownBy(() -> SafePaths.resolveInside(DIR, "")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SafePaths.resolveInside(DIR, null)).hasMessageContaining("empty");
    assertThatThrownBy(() -> SafePaths.resolveInside(DIR, "x.ts\0.m3u8"))
        .isInstanceOf(InvalidPathException.class).hasMessageContaining("'x.ts\\u0000.m3u8'")
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> SafePaths.resolveInside(DIR, "x\n.ts")).hasMessageContaining("control character");
    assertThatThrownBy(() -> SafePaths.resolveInside(DIR, "../" + "a".repeat(500)))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("..."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sid_room__uid_s_7__uid_e_video_20261124102903295.ts", "init.mp4", "a/b.ts", "..x.ts",
      "x..ts", "a b.ts", "my room:1.ts", "é.ts", "%2e%2e%2fx"})
  void namesInsideTheFolderResolveIntoIt(String name) {
    for (boolean entry : new boolean[] {false, true}) {
      Path resolved = resolve(entry, name);
      assertThat(resolved).startsWithRaw(DIR).isNotEqualTo(DIR);
      assertThat(resolved.toString()).endsWith(name);
    }
  }

  @Test
  void theFolderItselfMayBeRelative() {
    Path resolved = SafePaths.resolveInside(Path.of("rel/dir"), "x.ts");
    assertThat(resolved).isAbsolute().isEqualTo(Path.of("rel/dir/x.ts").toAbsolutePath().normalize());
  }
}
