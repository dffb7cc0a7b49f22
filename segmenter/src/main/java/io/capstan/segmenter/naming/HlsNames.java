package io.capstan.segmenter.naming;

/** The names of one HLS output: its playlist and its slices. */
public final class HlsNames {

  private final String sid;
  private final String cname;
  private final String uid;
  private final TrackSet type;

  private HlsNames(String sid, String cname, String uid, TrackSet type) {
    this.sid = sid;
    this.cname = cname;
    this.uid = uid;
    this.type = type;
  }

  /** The mixed output of a composite or web job (always audio and video). */
  public static HlsNames composite(String sid, String cname) {
    return new HlsNames(sid, cname, null, TrackSet.AV);
  }

  /** One uid's output of an individual job. */
  public static HlsNames individual(String sid, String cname, String uid, TrackSet type) {
    return new HlsNames(sid, cname, uid, type);
  }

  public String playlist() {
    return uid == null ? FileNames.compositePlaylist(sid, cname) : FileNames.individualPlaylist(sid, cname, uid, type);
  }

  public String slice(long utcMs) {
    return uid == null ? FileNames.compositeSlice(sid, cname, utcMs)
        : FileNames.individualSlice(sid, cname, uid, type, utcMs);
  }
}
