package io.capstan.segmenter.rtmp;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avformat.avio_write;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.Natives;
import java.io.IOException;
import java.time.Duration;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;

/**
 * One connection to an RTMP(S) server through FFmpeg's rtmp protocol, opened for publishing: it
 * takes an FLV byte stream (see {@link io.capstan.segmenter.mux.FlvMuxer}). Every read or write
 * gives up after the I/O timeout, so a dead server cannot hold the publisher forever.
 *
 * <p>Not thread-safe; holds a socket and native memory until {@link #close()}.
 */
final class RtmpSink implements AutoCloseable {

  private AVIOContext io;

  private RtmpSink(AVIOContext io) {
    this.io = io;
  }

  /** Connects and starts publishing (RTMP handshake, connect, createStream, publish). */
  static RtmpSink open(String url, Duration ioTimeout) throws IOException {
    Natives.require();
    AVIOContext io = new AVIOContext(null);
    AVDictionary options = new AVDictionary(null);
    try {
      av_dict_set(options, "rw_timeout", Long.toString(ioTimeout.toNanos() / 1000), 0);
      int result = avio_open2(io, url, AVIO_FLAG_WRITE, null, options);
      if (result < 0) {
        throw new IOException("cannot connect: " + FFmpegException.describe(result));
      }
    } finally {
      av_dict_free(options);
    }
    return new RtmpSink(io);
  }

  /** Sends FLV bytes; @throws IOException when the connection failed. */
  void write(byte[] flv) throws IOException {
    if (flv.length == 0) {
      return;
    }
    if (io == null) {
      throw new IOException("the connection is closed");
    }
    try (BytePointer data = new BytePointer(flv)) {
      avio_write(io, data, flv.length);
      avio_flush(io);
    }
    if (io.error() < 0) {
      throw new IOException("cannot send: " + FFmpegException.describe(io.error()));
    }
  }

  @Override
  public void close() {
    if (io != null) {
      avio_closep(io);
      io = null;
    }
  }
}
