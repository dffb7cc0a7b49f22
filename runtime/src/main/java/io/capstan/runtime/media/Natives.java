package io.capstan.runtime.media;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/** Loads FFmpeg's native libraries once, and says what to install when they do not load. */
public final class Natives {

  private static volatile boolean loaded;

  private Natives() {
  }

  public static synchronized void require() {
    if (loaded) {
      return;
    }
    try {
      Loader.load(avutil.class);
      Loader.load(avcodec.class);
      Loader.load(avformat.class);
      Loader.load(swscale.class);
      Loader.load(swresample.class);
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
      loaded = true;
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("FFmpeg's native libraries do not load (" + e.getMessage() + "). "
          + "They need libpulse.so.0: on Debian or Ubuntu run 'apt-get install libpulse0'.", e);
    }
  }

  /** The path of the {@code ffmpeg} executable bundled with JavaCV's FFmpeg artifact. */
  public static String ffmpegExecutable() {
    require();
    try {
      return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("the bundled ffmpeg executable is unavailable: " + e.getMessage(), e);
    }
  }
}
