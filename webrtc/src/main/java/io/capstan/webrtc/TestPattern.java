package io.capstan.webrtc;

import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A colour and a tone: a solid {@code width×height} picture of one Y, U, V at {@code fps}, and a
 * 48 kHz mono sine at {@code toneHz} (0 = silence), in 10 ms chunks. A record describes the pattern;
 * each running instance has its own thread, so give each session its own instance ({@link #copy()}).
 */
public record TestPattern(int width, int height, int fps, int y, int u, int v, int toneHz) implements MediaSource {

  private static final Map<TestPattern, ScheduledExecutorService> RUNNING = new IdentityHashMap<>();

  public TestPattern {
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("a test pattern needs an even size, got " + width + "x" + height);
    }
    if (fps < 1 || fps > 120) {
      throw new IllegalArgumentException("fps 1 to 120, got " + fps);
    }
  }

  /** The same pattern, another instance: for another session. */
  public TestPattern copy() {
    return new TestPattern(width, height, fps, y, u, v, toneHz);
  }

  /** The picture, planes tightly packed. */
  public VideoFrame picture() {
    int cw = width / 2;
    int ch = height / 2;
    byte[] data = new byte[width * height + 2 * cw * ch];
    Arrays.fill(data, 0, width * height, (byte) y);
    Arrays.fill(data, width * height, width * height + cw * ch, (byte) u);
    Arrays.fill(data, width * height + cw * ch, data.length, (byte) v);
    return VideoFrame.newBuilder().setWidth(width).setHeight(height).setStrides(List.of(width, cw, cw))
        .setData(ByteBuffer.wrap(data)).build();
  }

  @Override
  public void start(VideoOut video, AudioOut audio) {
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "capstan-test-pattern");
      t.setDaemon(true);
      return t;
    });
    synchronized (RUNNING) {
      if (RUNNING.putIfAbsent(this, clock) != null) {
        clock.shutdown();
        throw new IllegalStateException("this TestPattern is already running: use copy() for another session");
      }
    }
    VideoFrame picture = picture();
    Tone tone = new Tone(toneHz);
    clock.scheduleAtFixedRate(() -> video.push(picture), 0, 1_000_000L / fps, TimeUnit.MICROSECONDS);
    clock.scheduleAtFixedRate(() -> audio.push(tone.next()), 0, 10, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    ScheduledExecutorService clock;
    synchronized (RUNNING) {
      clock = RUNNING.remove(this);
    }
    if (clock != null) {
      clock.shutdownNow();
      try {
        clock.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A continuous sine, 10 ms at a time. */
  private static final class Tone {
    private final double step;
    private double phase;

    Tone(int hz) {
      step = 2 * Math.PI * hz / AudioReceiver.RATE;
    }

    AudioFrame next() {
      int samples = AudioReceiver.RATE / 100;
      ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < samples; i++) {
        pcm.putShort((short) Math.round(Math.sin(phase) * 10_000));
        phase += step;
      }
      phase %= 2 * Math.PI;
      return AudioFrame.newBuilder().setSampleRate(AudioReceiver.RATE).setChannels(1).setSamples(pcm.flip()).build();
    }
  }
}
