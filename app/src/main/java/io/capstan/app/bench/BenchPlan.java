package io.capstan.app.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a bench run does. Sources are {@link #SOURCE_WIDTH}×{@link #SOURCE_HEIGHT} at the
 * output's frame rate, four per job.
 *
 * @param composite     concurrent composite jobs (0: none)
 * @param individual    concurrent individual jobs (0: none)
 * @param seconds       media seconds per job in the measured runs
 * @param warmupSeconds media seconds of each warm-up round's jobs (0: no warm-up)
 * @param warmupRounds  the most warm-up rounds, run until the JIT settles ({@link JitWarmUp})
 * @param liveWarmupRounds the most REALTIME warm-up rounds before the live run, likewise
 * @param live          also a REALTIME run, for latency
 * @param liveSeconds   how long the live run records before Stop
 * @param liveSlice     slice length of the live run (short: more slices, more latency samples)
 * @param workDir       inputs, broker data, storage and baseline outputs
 * @param timeout       longest wait for one phase
 */
public record BenchPlan(int composite, int individual, int seconds, int warmupSeconds, int warmupRounds,
                        int liveWarmupRounds, Encoding encoding,
                        boolean live, int liveSeconds, int liveSlice, int idleSeconds, Path workDir,
                        Duration timeout) {

  public static final int SOURCE_WIDTH = 640;
  public static final int SOURCE_HEIGHT = 360;
  public static final int UIDS = 4;

  public BenchPlan {
    if (composite < 0 || individual < 0 || composite + individual == 0) {
      throw new IllegalArgumentException("run at least one job (--composite and --individual are 0 or more)");
    }
    if (seconds < 2 || warmupSeconds < 0 || warmupRounds < 1 || liveWarmupRounds < 1
        || liveSeconds < 2 || liveSlice < 1 || idleSeconds < 0) {
      throw new IllegalArgumentException("--seconds and --live-seconds are at least 2, --warmup-rounds and --live-warmup-rounds at least 1,"
          + " --warmup-seconds and --idle-seconds at least 0");
    }
    if (live && liveSeconds > seconds) {
      throw new IllegalArgumentException("--live-seconds (" + liveSeconds + ") cannot exceed the sources' --seconds ("
          + seconds + ")");
    }
  }

  public Encoding liveEncoding() {
    return new Encoding(encoding.width(), encoding.height(), encoding.fps(), encoding.bitrateKbps(), encoding.preset(),
        liveSlice);
  }
}
