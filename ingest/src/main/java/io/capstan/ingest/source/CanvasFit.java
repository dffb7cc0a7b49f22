package io.capstan.ingest.source;

/**
 * The size a source's pictures are published at: never larger than the job's canvas (scaled down
 * keeping the aspect ratio), never scaled up, and always even (I420 chroma is half size).
 * Publishing at most the canvas size matters: raw frames through Kafka cost as much CPU as encoding.
 */
public final class CanvasFit {

  public record Size(int width, int height) {
  }

  private CanvasFit() {
  }

  /** @param canvas the job's canvas, or null to keep the source size (individual recording) */
  public static Size fit(int width, int height, Size canvas) {
    return fit(width, height, canvas, Integer.MAX_VALUE);
  }

  /** As {@link #fit(int, int, Size)}, and at most {@code maxPixels} pixels whatever the canvas. */
  public static Size fit(int width, int height, Size canvas, int maxPixels) {
    double scale = 1.0;
    if (canvas != null && (width > canvas.width() || height > canvas.height())) {
      scale = Math.min((double) canvas.width() / width, (double) canvas.height() / height);
    }
    double pixels = width * scale * height * scale;
    if (pixels > maxPixels) {
      scale *= Math.sqrt(maxPixels / pixels);
    }
    return new Size(even(width * scale), even(height * scale));
  }

  private static int even(double value) {
    int v = (int) Math.floor(value + 1e-9);
    return Math.max(2, v - (v % 2));
  }
}
