package io.capstan.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebCaptureToolsTest {

  @Test
  void saysWhatToInstallWhenProgramsAreMissing(@TempDir Path dir) throws Exception {
    executable(dir, "Xvfb");
    assertThatThrownBy(() -> WebCaptureTools.find(dir.toString()))
        .isInstanceOf(WebToolsMissingException.class)
        .hasMessageContaining("chromium").hasMessageContaining("pulseaudio")
        .hasMessageContaining("apt-get install chromium xvfb pulseaudio")
        .satisfies(e -> assertThat(((WebToolsMissingException) e).missing()).containsExactly("chromium", "pulseaudio"));
  }

  @Test
  void findsTheProgramsOnThePath(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path other = Files.createDirectory(dir.resolve("other"));
    executable(bin, "chromium-browser");
    executable(other, "Xvfb");
    executable(other, "pulseaudio");
    Files.writeString(bin.resolve("pulseaudio"), "not executable");
    WebCaptureTools tools = WebCaptureTools.find(bin + File.pathSeparator + other);
    assertThat(tools.chromium()).isEqualTo(bin.resolve("chromium-browser"));
    assertThat(tools.xvfb()).isEqualTo(other.resolve("Xvfb"));
    assertThat(tools.pulseaudio()).isEqualTo(other.resolve("pulseaudio"));
  }

  @Test
  void optionsKeepFramesEvenAndRejectNonsense() {
    PageOptions odd = PageOptions.of("https://example.com/", 1279, 719, 15);
    assertThat(odd.frameWidth()).isEqualTo(1278);
    assertThat(odd.frameHeight()).isEqualTo(718);
    assertThatThrownBy(() -> PageOptions.of("ftp://x/", 640, 360, 15)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PageOptions.of("http://x/", 640, 360, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void executable(Path dir, String name) throws Exception {
    Files.writeString(dir.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
