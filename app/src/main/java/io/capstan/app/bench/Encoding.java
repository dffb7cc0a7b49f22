package io.capstan.app.bench;

/**
 * What every composite output of a bench run is encoded as, for Capstan's mixer and FFmpeg alike:
 * the mixer's libx264 settings (preset, bitrate with maxrate 1.5× and buffer 2×, no B-frames, no
 * scene cuts, an IDR at every slice boundary) and audioProfile 0 (AAC mono 48 kbps).
 */
public record Encoding(int width, int height, int fps, int bitrateKbps, String preset, int sliceSeconds) {

  public static final int AUDIO_KBPS = 48;
  public static final int AUDIO_CHANNELS = 1;

  /** An individual-mode uid's bitrate, UidTranscoder's rule: about 0.1 bit per pixel, at least 200 kbps. */
  public static int individualKbps(int width, int height, int fps) {
    return (int) Math.max(200, (long) width * height * fps / 10_000);
  }

  public int gopFrames() {
    return fps * sliceSeconds;
  }
}
