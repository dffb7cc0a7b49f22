package io.capstan.uploader.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadProgressTest {

  private static final long START = 1_795_000_000_000L;

  @Test
  void nothingStoredIsZero() {
    assertThat(UploadProgress.of(START, 0, START + 60_000, 10)).isZero();
    assertThat(UploadProgress.of(START, 0, START + 5_000, 10)).isZero();
  }

  @Test
  void aStoreThatKeepsUpIsJustShortOfAll() {
    // 60 s recorded, slices of 10 s: the slice [50, 60) is still being made, [40, 50) is stored.
    assertThat(UploadProgress.of(START, START + 50_000, START + 60_000, 10)).isEqualTo(9_999);
    assertThat(UploadProgress.of(START, START + 48_000, START + 60_000, 10)).isEqualTo(9_999);
  }

  @Test
  void aStoreThatFellBehindShowsTheShareStored() {
    // Down since 30 s; at 122 s, 110 s of slices are owed and 30 s stored.
    assertThat(UploadProgress.of(START, START + 30_000, START + 122_000, 10)).isEqualTo(30 * 10_000 / 110);
  }

  @Test
  void neverAllBeforeUploaded() {
    assertThat(UploadProgress.of(START, START + 3_600_000, START + 3_600_000, 10)).isLessThan(UploadProgress.ALL);
  }
}
