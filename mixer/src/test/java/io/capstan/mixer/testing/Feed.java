package io.capstan.mixer.testing;

import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.StreamStateKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What ingest would publish for a job (test helper): media records added per uid in any order,
 * then {@link #records} sorts them by time, puts each uid's JOINED first, a watermark for every
 * uid each 200 ms, and EndOfJob at the end.
 */
public final class Feed {

  private final String jobId;
  private final Set<String> uids = new LinkedHashSet<>();
  private final List<MediaRecord> media = new ArrayList<>();

  public Feed(String jobId) {
    this.jobId = jobId;
  }

  public Feed add(String uid, long ts, Object body) {
    if (!uid.isEmpty()) {
      uids.add(uid);
    }
    media.add(Media.record(jobId, uid, ts, body));
    return this;
  }

  public Feed join(String uid) {
    uids.add(uid);
    return this;
  }

  public List<MediaRecord> records(long endUs) {
    List<MediaRecord> sorted = new ArrayList<>(media);
    sorted.sort(Comparator.comparingLong(MediaRecord::getTimestampUs));
    List<MediaRecord> out = new ArrayList<>();
    for (String uid : uids) {
      out.add(Media.record(jobId, uid, 0, Media.state(StreamStateKind.JOINED)));
    }
    long nextWatermark = 200_000;
    for (MediaRecord r : sorted) {
      while (r.getTimestampUs() >= nextWatermark) {
        watermarks(out, nextWatermark);
        nextWatermark += 200_000;
      }
      out.add(r);
    }
    watermarks(out, endUs);
    out.add(Media.record(jobId, "", endUs, EndOfJob.newBuilder().setUtcMs(1).build()));
    return out;
  }

  private void watermarks(List<MediaRecord> out, long ts) {
    for (String uid : uids) {
      out.add(Media.record(jobId, uid, ts, Media.watermark()));
    }
  }
}
