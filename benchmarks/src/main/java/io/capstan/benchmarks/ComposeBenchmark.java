package io.capstan.benchmarks;

import io.capstan.mixer.compositor.Canvas;
import io.capstan.mixer.compositor.Compositor;
import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.layout.LayoutGeometry;
import io.capstan.mixer.layout.Region;
import io.capstan.runtime.media.Natives;
import java.nio.ByteBuffer;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One 1280×720 best-fit output frame of four 640×360 uids, as the mixer composes it 15 times a
 * second per composite job: {@code compose} is the layout alone (swscale into the canvas planes),
 * {@code updateAndCompose} adds the four copies of arriving frames into native memory that the
 * mixer makes when each uid's new picture comes in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ComposeBenchmark {

  private static final int SOURCE_W = 640;
  private static final int SOURCE_H = 360;
  private static final int[] STRIDES = {SOURCE_W, SOURCE_W / 2, SOURCE_W / 2};
  private static final List<String> UIDS = List.of("1001", "1002", "1003", "1004");

  private Compositor compositor;
  private List<Region> regions;
  private final Map<String, SourcePicture> pictures = new HashMap<>();
  private final Map<String, ByteBuffer> frames = new HashMap<>();
  private final YuvColor background = YuvColor.ofHex("#1E2A3A");

  @Setup
  public void setUp() {
    Natives.require();
    compositor = new Compositor(1280, 720);
    regions = LayoutGeometry.regions(1280, 720, LayoutGeometry.BEST_FIT, UIDS, null, List.of());
    for (int i = 0; i < UIDS.size(); i++) {
      ByteBuffer frame = ByteBuffer.wrap(Pictures.i420(SOURCE_W, SOURCE_H, i + 1));
      SourcePicture picture = new SourcePicture();
      picture.update(SOURCE_W, SOURCE_H, STRIDES, frame);
      pictures.put(UIDS.get(i), picture);
      frames.put(UIDS.get(i), frame);
    }
  }

  @Benchmark
  public Canvas compose() {
    return compositor.compose(regions, pictures::get, background);
  }

  @Benchmark
  public Canvas updateAndCompose() {
    for (String uid : UIDS) {
      pictures.get(uid).update(SOURCE_W, SOURCE_H, STRIDES, frames.get(uid));
    }
    return compositor.compose(regions, pictures::get, background);
  }

  @TearDown
  public void tearDown() {
    pictures.values().forEach(SourcePicture::close);
    compositor.close();
  }
}
