package io.capstan.benchmarks;

/** Test pictures: tightly packed I420 with a pattern per seed, so no two sources are identical. */
final class Pictures {

  private Pictures() {
  }

  static byte[] i420(int width, int height, int seed) {
    byte[] data = new byte[width * height * 3 / 2];
    int luma = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        data[y * width + x] = (byte) (16 + ((x * seed + y * 3) & 0xbf));
      }
    }
    for (int i = luma; i < data.length; i++) {
      data[i] = (byte) (64 + ((i * seed) & 0x7f));
    }
    return data;
  }
}
