package io.capstan.segmenter.naming;

/**
 * The names of one HLS output: its playlist and its slices ({@code .ts}, the reference's; or
 * {@code .m4s} for fMP4 slices, whose init segments are {@code <playlist base>_init_<id>.m4s}).
 */
public final class HlsNames {

  private static final String TS = ".ts";

  private final String sid;
  private final String cname;
  private final String uid;
  private final TrackSet type;
  private final String extension;

  private HlsNames(String sid, String cname, String uid, TrackSet type, String extension) {
    this.sid = sid;
    this.cname = cname;
    this.uid = uid;
    this.type = type;
    this.extension = extension;
  }

  /** The mixed output of a composite or web job (always audio and video). */
  public static HlsNames composite(String sid, String cname) {
    return new HlsNames(sid, cname, null, TrackSet.AV, TS);
  }

  /** One uid's output of an individual job. */
  public static HlsNames individual(String sid, String cname, String uid, TrackSet type) {
    return new HlsNames(sid, cname, uid, type, TS);
  }

  /** The same output with slices of another extension (".m4s"). */
  public HlsNames withSliceExtension(String sliceExtension) {
    return new HlsNames(sid, cname, uid, type, sliceExtension);
  }

  public String playlist() {
    return uid == null ? FileNames.compositePlaylist(sid, cname) : FileNames.individualPlaylist(sid, cname, uid, type);
  }

  public String slice(long utcMs) {
    return base(utcMs) + extension;
  }

  /**
   * An fMP4 init segment, {@code <playlist base>_init_<id>.m4s}: {@code id} is derived from its
   * content, so a new owner of the output names the same init segment the same way.
   */
  public String init(String id) {
    String playlist = playlist();
    return playlist.substring(0, playlist.length() - ".m3u8".length()) + "_init_" + id + ".m4s";
  }

  private String base(long utcMs) {
    String ts = uid == null ? FileNames.compositeSlice(sid, cname, utcMs)
        : FileNames.individualSlice(sid, cname, uid, type, utcMs);
    return ts.substring(0, ts.length() - TS.length());
  }
}
