package io.capstan.webrtc;

import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink and listener that keeps what arrives: the last picture, the first channel's samples, the states. */
final class Collector implements MediaSink, SessionListener {

  final AtomicInteger pictures = new AtomicInteger();
  final AtomicInteger chunks = new AtomicInteger();
  final AtomicInteger connects = new AtomicInteger();
  final CopyOnWriteArrayList<String> failures = new CopyOnWriteArrayList<>();
  private final Size max;
  private volatile VideoFrame last;
  private final ByteArrayOutputStream mono = new ByteArrayOutputStream();
  private volatile int rate;
  private volatile int channels;

  Collector() {
    this(null);
  }

  Collector(Size max) {
    this.max = max;
  }

  @Override
  public void video(Picture picture, long arrivalUs) {
    last = picture.toVideoFrame(max);
    pictures.incrementAndGet();
  }

  @Override
  public void audio(AudioFrame frame, long arrivalUs) {
    rate = frame.getSampleRate();
    channels = frame.getChannels();
    ByteBuffer s = frame.getSamples().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    synchronized (mono) {
      for (int i = 0; i + 2 * channels <= s.remaining(); i += 2 * channels) {
        short v = s.getShort(s.position() + i);
        mono.write(v & 0xff);
        mono.write((v >> 8) & 0xff);
      }
    }
    chunks.incrementAndGet();
  }

  @Override
  public void connected() {
    connects.incrementAndGet();
  }

  @Override
  public void failed(String reason) {
    failures.add(reason);
  }

  VideoFrame last() {
    return last;
  }

  int rate() {
    return rate;
  }

  int channels() {
    return channels;
  }

  /** The first channel's last {@code n} samples. */
  short[] lastSamples(int n) {
    byte[] all;
    synchronized (mono) {
      all = mono.toByteArray();
    }
    int count = Math.min(n, all.length / 2);
    short[] out = new short[count];
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int from = all.length / 2 - count;
    for (int i = 0; i < count; i++) {
      out[i] = b.getShort((from + i) * 2);
    }
    return out;
  }

  /** The tone's frequency from upward zero crossings of the last second. */
  double frequency() {
    short[] s = lastSamples(rate == 0 ? 48_000 : rate);
    int crossings = 0;
    for (int i = 1; i < s.length; i++) {
      if (s[i - 1] < 0 && s[i] >= 0) {
        crossings++;
      }
    }
    return crossings * (double) (rate == 0 ? 48_000 : rate) / s.length;
  }

  /** Y, U, V of the centre pixel of the last picture. */
  int[] centre() {
    VideoFrame f = last;
    int w = f.getWidth();
    int h = f.getHeight();
    int sy = f.getStrides().get(0);
    int su = f.getStrides().get(1);
    int sv = f.getStrides().get(2);
    ByteBuffer d = f.getData();
    int base = d.position();
    int uStart = base + sy * h;
    int vStart = uStart + su * (h / 2);
    int y = d.get(base + (h / 2) * sy + w / 2) & 0xff;
    int u = d.get(uStart + (h / 4) * su + w / 4) & 0xff;
    int v = d.get(vStart + (h / 4) * sv + w / 4) & 0xff;
    return new int[] {y, u, v};
  }
}
