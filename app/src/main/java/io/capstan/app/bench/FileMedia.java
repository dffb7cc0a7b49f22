package io.capstan.app.bench;

import io.capstan.ingest.source.FrameConversion;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import io.capstan.webrtc.AudioOut;
import io.capstan.webrtc.MediaSource;
import io.capstan.webrtc.VideoOut;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * A file's pictures and sound, decoded and sent at real time, over and over: what a WHIP
 * publisher of the benchmark sends (the same media the file row reads).
 */
final class FileMedia implements MediaSource {

  private static final int RATE = 48_000;
  private static final int CHUNK = RATE / 100;

  private final Path file;
  private volatile boolean stopped;
  private Thread thread;

  FileMedia(Path file) {
    this.file = file;
  }

  @Override
  public void start(VideoOut video, AudioOut audio) {
    thread = new Thread(() -> run(video, audio), "file-media");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(VideoOut video, AudioOut audio) {
    Natives.require();
    long startNanos = System.nanoTime();
    long offsetUs = 0;
    ShortBuffer pending = ShortBuffer.allocate(CHUNK * 16);
    try {
      while (!stopped) {
        long lastUs = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
          grabber.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
          grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
          grabber.setSampleRate(RATE);
          grabber.setAudioChannels(1);
          grabber.start();
          Frame frame;
          while (!stopped && (frame = grabber.grab()) != null) {
            lastUs = frame.timestamp;
            long dueNanos = startNanos + (offsetUs + frame.timestamp) * 1000;
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (frame.image != null) {
              video.push(picture(frame));
            } else if (frame.samples != null) {
              ShortBuffer s = (ShortBuffer) frame.samples[0];
              while (s.hasRemaining()) {
                pending.put(s.get());
                if (pending.position() == CHUNK) {
                  pending.flip();
                  ByteBuffer pcm = ByteBuffer.allocate(CHUNK * 2).order(ByteOrder.LITTLE_ENDIAN);
                  pcm.asShortBuffer().put(pending);
                  pending.clear();
                  audio.push(AudioFrame.newBuilder().setSampleRate(RATE).setChannels(1).setSamples(pcm).build());
                }
              }
            }
          }
        }
        offsetUs += lastUs + 33_333;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("file-media: " + e);
      e.printStackTrace();
    }
  }

  /** The grabber's yuv420p picture (as ingest converts it), its planes packed without padding. */
  private static VideoFrame picture(Frame frame) {
    VideoFrame f = FrameConversion.video(frame);
    int w = f.getWidth();
    int h = f.getHeight();
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    List<Integer> strides = f.getStrides();
    if (strides.get(0) == w && strides.get(1) == cw && strides.get(2) == cw) {
      return f;
    }
    ByteBuffer in = f.getData();
    byte[] out = new byte[w * h + 2 * cw * ch];
    int at = 0;
    int base = 0;
    int[] rows = {h, ch, ch};
    int[] widths = {w, cw, cw};
    for (int plane = 0; plane < 3; plane++) {
      for (int y = 0; y < rows[plane]; y++) {
        in.get(base + y * strides.get(plane), out, at, widths[plane]);
        at += widths[plane];
      }
      base += strides.get(plane) * rows[plane];
    }
    return VideoFrame.newBuilder().setWidth(w).setHeight(h).setStrides(List.of(w, cw, cw))
        .setData(ByteBuffer.wrap(out)).build();
  }

  @Override
  public void stop() {
    stopped = true;
    if (thread != null) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
