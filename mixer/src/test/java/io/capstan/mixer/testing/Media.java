package io.capstan.mixer.testing;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Hand-made capstan.frames records for tests. */
public final class Media {

  private Media() {
  }

  public static MediaRecord record(String jobId, String uid, long ts, Object body) {
    return MediaRecord.newBuilder().setJobId(jobId).setUid(uid).setTimestampUs(ts).setBody(body).build();
  }

  public static StreamState state(StreamStateKind kind) {
    return StreamState.newBuilder().setState(kind).setUtcMs(0).build();
  }

  public static Watermark watermark() {
    return Watermark.newBuilder().build();
  }

  public static VideoFrame solid(int w, int h, YuvColor c) {
    ByteBuffer data = ByteBuffer.allocate(w * h * 3 / 2);
    for (int i = 0; i < w * h; i++) {
      data.put((byte) c.y());
    }
    for (int i = 0; i < w * h / 4; i++) {
      data.put((byte) c.u());
    }
    for (int i = 0; i < w * h / 4; i++) {
      data.put((byte) c.v());
    }
    return VideoFrame.newBuilder().setWidth(w).setHeight(h).setStrides(List.of(w, w / 2, w / 2))
        .setData(data.flip()).build();
  }

  /** Mono s16 at 48 kHz: {@code amplitude * sin(2 pi hz t)} for samples [first, first + count). */
  public static AudioFrame tone(double hz, double amplitude, long firstSample, int count) {
    ByteBuffer pcm = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      pcm.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (firstSample + i) / 48_000.0)));
    }
    return AudioFrame.newBuilder().setSampleRate(48_000).setChannels(1).setSamples(pcm.flip()).build();
  }

  public static AudioFrame pcm(short[] samples) {
    ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      pcm.putShort(s);
    }
    return AudioFrame.newBuilder().setSampleRate(48_000).setChannels(1).setSamples(pcm.flip()).build();
  }
}
