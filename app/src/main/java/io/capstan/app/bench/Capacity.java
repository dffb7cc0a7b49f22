package io.capstan.app.bench;

import java.util.List;

/**
 * One capacity ramp: how many concurrent live recordings of one kind a machine sustained. Step n
 * ran n recordings at once in REALTIME; it was sustained when every recording ended cleanly, the
 * p99 slice latency stayed within {@link #MAX_P99_MS} and nothing was dropped for being late.
 *
 * @param label  what was ramped ("capstan composite", "ffmpeg remux", ...)
 * @param steps  the steps run, 1, 2, ... up to the first one not sustained or the cap
 * @param cap    the largest step allowed (--capacity-max)
 */
public record Capacity(String label, List<Step> steps, int cap) {

  public static final double MAX_P99_MS = 2000;

  /**
   * @param recordings   concurrent recordings
   * @param p99Ms        p99 slice latency over every slice of the step (NaN: no slice)
   * @param slices       latency samples
   * @param lateDrops    media dropped for being late (the mixer's late and dropped-ahead counters; ffmpeg: 0)
   * @param peakRssBytes peak resident memory of the step (Capstan: the process; ffmpeg: the children's sum)
   * @param cpuSeconds   CPU used during the step
   * @param clean        every recording ended without error
   */
  public record Step(int recordings, double p99Ms, int slices, long lateDrops, long peakRssBytes, double cpuSeconds,
                     double wallSeconds, boolean clean) {

    public boolean sustained() {
      return clean && slices > 0 && p99Ms <= MAX_P99_MS && lateDrops == 0;
    }

    /** Why not sustained, for the report. */
    public String verdict() {
      if (sustained()) {
        return "ok";
      }
      if (!clean) {
        return "recordings failed";
      }
      if (slices == 0) {
        return "no slice";
      }
      return p99Ms > MAX_P99_MS ? (lateDrops > 0 ? "p99 > 2 s, late drops" : "p99 > 2 s") : "late drops";
    }
  }

  /** The most recordings sustained: the last step before the first one that was not (0: not even one). */
  public int sustained() {
    int most = 0;
    for (Step s : steps) {
      if (!s.sustained()) {
        break;
      }
      most = s.recordings();
    }
    return most;
  }

  /** Whether the ramp stopped at the cap without failing: the machine sustains at least {@link #sustained()}. */
  public boolean capped() {
    return sustained() == cap;
  }

  /**
   * Memory each added recording costs: the least-squares slope of peak RSS over recordings, across
   * the sustained steps with a known peak; -1 with fewer than two.
   */
  public long bytesPerRecording() {
    List<Step> known = steps.stream().filter(s -> s.sustained() && s.peakRssBytes() > 0).toList();
    if (known.size() < 2) {
      return -1;
    }
    double n = known.size();
    double mx = known.stream().mapToDouble(Step::recordings).sum() / n;
    double my = known.stream().mapToDouble(Step::peakRssBytes).sum() / n;
    double sxy = 0;
    double sxx = 0;
    for (Step s : known) {
      sxy += (s.recordings() - mx) * (s.peakRssBytes() - my);
      sxx += (s.recordings() - mx) * (s.recordings() - mx);
    }
    return Math.round(sxy / sxx);
  }
}
