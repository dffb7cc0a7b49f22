package io.capstan.runtime.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** A failed FFmpeg call: which call, its return code and FFmpeg's words for it. */
public final class FFmpegException extends RuntimeException {

  private final int code;

  public FFmpegException(String call, int code) {
    super(call + " failed with " + code + " (" + describe(code) + ")");
    this.code = code;
  }

  public FFmpegException(String message) {
    super(message);
    this.code = 0;
  }

  public int code() {
    return code;
  }

  /** Throws when {@code ret} is negative; returns it otherwise. */
  public static int check(String call, int ret) {
    if (ret < 0) {
      throw new FFmpegException(call, ret);
    }
    return ret;
  }

  public static String describe(int code) {
    try (BytePointer buffer = new BytePointer(256)) {
      avutil.av_strerror(code, buffer, 256);
      return buffer.getString();
    }
  }
}
