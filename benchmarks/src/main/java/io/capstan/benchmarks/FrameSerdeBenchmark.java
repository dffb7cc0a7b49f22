package io.capstan.benchmarks;

import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One 640×360 I420 video frame as capstan.frames carries it: what ingest's serializer and the
 * mixer's deserializer pay per frame (60 of them per second for a 4-uid 15 fps composite).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameSerdeBenchmark {

  static final int WIDTH = 640;
  static final int HEIGHT = 360;

  private AvroSerde<MediaRecord> serde;
  private MediaRecord record;
  private byte[] encoded;

  @Setup
  public void setUp() {
    serde = AvroSerde.of(MediaRecord.class, Map.of(), false);
    record = MediaRecord.newBuilder().setJobId("0123456789abcdef0123456789abcdef").setUid("1001")
        .setTimestampUs(1_234_567L)
        .setBody(VideoFrame.newBuilder().setWidth(WIDTH).setHeight(HEIGHT)
            .setStrides(List.of(WIDTH, WIDTH / 2, WIDTH / 2))
            .setData(ByteBuffer.wrap(Pictures.i420(WIDTH, HEIGHT, 1))).build())
        .build();
    encoded = serde.encode(Topics.FRAMES.name(), record);
  }

  /** Ingest's side: MediaRecord to the bytes Kafka sends. */
  @Benchmark
  public byte[] encode() {
    return serde.encode(Topics.FRAMES.name(), record);
  }

  /** The mixer's side: bytes back to a MediaRecord with its frame data. */
  @Benchmark
  public MediaRecord decode() {
    return serde.decode(Topics.FRAMES.name(), encoded);
  }

  /** Both, as one frame costs the pipeline (besides Kafka itself). */
  @Benchmark
  public MediaRecord encodeDecode() {
    return serde.decode(Topics.FRAMES.name(), serde.encode(Topics.FRAMES.name(), record));
  }
}
