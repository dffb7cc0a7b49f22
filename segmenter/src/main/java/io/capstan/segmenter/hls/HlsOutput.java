package io.capstan.segmenter.hls;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.mux.Fmp4Boxes;
import io.capstan.segmenter.naming.HlsNames;
import io.capstan.segmenter.naming.TrackSet;
import io.capstan.segmenter.playlist.MediaPlaylist;
import io.capstan.segmenter.playlist.PlaylistEntry;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * One HLS output (a job's composite, or one uid's audio, video or both): cuts the packet stream
 * into slices and keeps the playlist naming them.
 *
 * <p>Cutting: a new slice starts at the first VIDEO keyframe whose pts reaches the next boundary
 * {@code k * sliceSeconds} (audio-only outputs: the first audio packet that reaches it). The
 * mixer puts an IDR exactly on every boundary; a keyframe up to {@link #BOUNDARY_TOLERANCE_US}
 * early counts as on it, so a rounded frame time still cuts. Audio arriving after the keyframe goes
 * to the new slice, even when its pts is a few ms before the cut. Audio whose pts already reached
 * the boundary before the keyframe arrived waits for it ({@link EarlyAudio}): an encoder's lookahead
 * delays video behind audio, and that audio belongs to the next slice, not the end of this one.
 *
 * <p>Duration of a slice: the next slice's start minus its own; the last one (or the one before a
 * break) ends at its last packet's pts plus that packet's duration.
 *
 * <p>Breaks: a Discontinuity upstream ({@link #breakHere()}) or a gap of more than {@link #GAP_US}
 * in the output's media (a uid that left and came back) ends the slice in progress; the playlist
 * goes on, the next slice marked {@code #EXT-X-DISCONTINUITY}.
 */
public final class HlsOutput {

  /** A keyframe this close before a boundary is on the boundary. */
  public static final long BOUNDARY_TOLERANCE_US = 1_000;
  /** Media this far past the end of the slice in progress follows a gap: a break, as after a Discontinuity. */
  public static final long GAP_US = 2_000_000;

  private final HlsNames names;
  private final TrackSet tracks;
  private final long sliceUs;
  private final long startedUtcMs;
  private final SliceMuxer muxer;
  private final MediaPlaylist playlist;
  private final TrackConfig[] configs = new TrackConfig[MediaKind.values().length];
  private SliceBuilder current;
  private final EarlyAudio early = new EarlyAudio();
  private long nextBoundaryUs;
  private int slices;
  private boolean ended;
  private final SegmentType type;
  private String lastMap;
  /** Video records below this offset are in slices a previous owner already sent out (0: none). */
  private final long videoOutBelow;

  public HlsOutput(HlsNames names, TrackSet tracks, int sliceSeconds, long startedUtcMs, SliceMuxer muxer) {
    this(names, tracks, sliceSeconds, startedUtcMs, muxer, new MediaPlaylist(), false);
  }

  /**
   * Continues an output another instance started: {@code playlist} holds the slices it already
   * made; {@code discontinuity} marks the next slice.
   */
  public HlsOutput(HlsNames names, TrackSet tracks, int sliceSeconds, long startedUtcMs, SliceMuxer muxer,
                   MediaPlaylist playlist, boolean discontinuity) {
    this(names, tracks, sliceSeconds, startedUtcMs, muxer, playlist, discontinuity, SegmentType.MPEGTS, 0);
  }

  /**
   * @param type FMP4: {@code muxer} makes fragmented MP4 (init then media segment, as
   *     {@link io.capstan.segmenter.mux.Fmp4Slices}); each slice names its init segment
   *     ({@code #EXT-X-MAP}), which is sent once, before the first slice that needs it
   * @param videoOutBelow the previous owner's {@link #videoOutBelow()} (0: none): video records below
   *     that offset are skipped
   */
  public HlsOutput(HlsNames names, TrackSet tracks, int sliceSeconds, long startedUtcMs, SliceMuxer muxer,
                   MediaPlaylist playlist, boolean discontinuity, SegmentType type, long videoOutBelow) {
    if (sliceSeconds <= 0) {
      throw new IllegalArgumentException("sliceSeconds must be positive, got " + sliceSeconds);
    }
    this.names = names;
    this.tracks = tracks;
    this.sliceUs = sliceSeconds * 1_000_000L;
    this.startedUtcMs = startedUtcMs;
    this.muxer = muxer;
    this.playlist = playlist;
    this.slices = playlist.entries().size();
    this.current = SliceBuilder.open(discontinuity);
    this.type = type;
    this.videoOutBelow = videoOutBelow;
    this.lastMap = playlist.isEmpty() ? null : playlist.entries().get(slices - 1).map();
  }

  public HlsNames names() {
    return names;
  }

  public TrackSet tracks() {
    return tracks;
  }

  public MediaPlaylist playlist() {
    return playlist;
  }

  public boolean accepts(MediaKind kind) {
    return kind == MediaKind.VIDEO ? tracks.hasVideo() : tracks.hasAudio();
  }

  /** Offset of the first record of the slice in progress (or of audio waiting for it), or -1 when none. */
  public long pendingOffset() {
    long slice = current.isEmpty() ? -1 : current.firstOffset();
    long waiting = early.firstOffset();
    if (slice < 0 || waiting < 0) {
      return Math.max(slice, waiting);
    }
    return Math.min(slice, waiting);
  }

  /**
   * Offset below which this output's video records are in slices already out (0: none). A new owner
   * replays from {@link #pendingOffset()}, which is earlier than the slice's keyframe when audio of
   * the slice came first (the video encoder's delay): the video records in between went into the
   * slice before, and one of them can be a keyframe (a mixer that took over mid-slice starts with
   * one), which would otherwise open the replayed slice a second time.
   */
  public long videoOutBelow() {
    long first = current.firstVideoOffset();
    return first >= 0 ? first : videoOutBelow;
  }

  /** True when the slice in progress follows a break (nothing of it is out yet). */
  public boolean pendingDiscontinuity() {
    return current.discontinuity();
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Takes one packet (record {@code offset} of its topic partition).
   *
   * @return the slice this packet closed, if it cut one
   */
  public Optional<Slice> accept(Packet packet, long offset) {
    if (ended || !accepts(packet.getKind())
        || (packet.getKind() == MediaKind.VIDEO && offset < videoOutBelow)) {
      return Optional.empty();
    }
    int k = packet.getKind().ordinal();
    Optional<Slice> beforeGap = Optional.empty();
    if (!current.isEmpty() && packet.getPtsUs() > current.endUs() + GAP_US) {
      // The uid was away (or its stream stalled): the slice ends at its last media, not at the
      // packet after the gap, and the next slice follows a break. Muxed with the configs of its
      // own packets: the packet after the gap may bring a new encoder's.
      beforeGap = breakHere();
    }
    if (packet.getConfig() != null) {
      configs[k] = packet.getConfig();
    }
    boolean video = packet.getKind() == MediaKind.VIDEO;
    if (configs[k] == null || (video && !current.hasVideo() && !packet.getKey())) {
      // Nothing can be muxed before its track's config, and no slice may start video mid-GOP.
      return beforeGap;
    }
    if (!video && tracks.hasVideo() && !current.isEmpty()
        && packet.getPtsUs() >= nextBoundaryUs - BOUNDARY_TOLERANCE_US) {
      early.add(packet, offset, fallbackDuration(packet));
      if (early.spanUs() < sliceUs) {
        return Optional.empty();
      }
      // No keyframe for a whole slice (video stopped): cut on the audio instead.
      return Optional.of(cutAt(early.firstPtsUs(), null, -1));
    }
    if (!current.isEmpty() && cutsHere(packet)) {
      return Optional.of(cutAt(packet.getPtsUs(), packet, offset));
    }
    if (current.isEmpty()) {
      // Audio priming may start a job a few ms before 0: the first boundary is still sliceSeconds.
      nextBoundaryUs = boundaryAfter(Math.max(0, packet.getPtsUs()));
    }
    current.add(packet, offset, fallbackDuration(packet));
    return beforeGap;
  }

  /** Closes the slice in progress at {@code cutUs}; the new one starts with the waiting audio, then {@code first}. */
  private Slice cutAt(long cutUs, Packet first, long offset) {
    SliceBuilder done = current;
    current = SliceBuilder.cutAt(cutUs);
    nextBoundaryUs = boundaryAfter(cutUs);
    early.drainInto(current);
    if (first != null) {
      current.add(first, offset, fallbackDuration(first));
    }
    return close(done, cutUs);
  }

  /** A break (the mixer restarted): closes the slice in progress and marks the next one. */
  public Optional<Slice> breakHere() {
    Optional<Slice> done = closeCurrent();
    current = SliceBuilder.open(true);
    return done;
  }

  /** The end of the output: closes the last slice and ends the playlist. */
  public Optional<Slice> end() {
    if (ended) {
      return Optional.empty();
    }
    Optional<Slice> done = closeCurrent();
    ended = true;
    playlist.end();
    return done;
  }

  private Optional<Slice> closeCurrent() {
    early.drainInto(current);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    SliceBuilder done = current;
    current = SliceBuilder.open(false);
    return Optional.of(close(done, done.endUs()));
  }

  private boolean cutsHere(Packet packet) {
    boolean trigger = tracks.hasVideo() ? packet.getKind() == MediaKind.VIDEO && packet.getKey()
        : packet.getKind() == MediaKind.AUDIO;
    return trigger && packet.getPtsUs() >= nextBoundaryUs - BOUNDARY_TOLERANCE_US;
  }

  private long boundaryAfter(long ptsUs) {
    return (Math.floorDiv(ptsUs + BOUNDARY_TOLERANCE_US, sliceUs) + 1) * sliceUs;
  }

  private long fallbackDuration(Packet packet) {
    TrackConfig config = configs[packet.getKind().ordinal()];
    if (packet.getKind() == MediaKind.AUDIO && config != null && config.getFrameSize() > 0
        && config.getSampleRate() > 0) {
      return config.getFrameSize() * 1_000_000L / config.getSampleRate();
    }
    return 0;
  }

  /** Muxes {@code done}; the output's state has already moved on, so a failure loses only this slice. */
  private Slice close(SliceBuilder done, long endUs) {
    long startUs = done.startUs();
    long durationUs = Math.max(0, endUs - startUs);
    long startUtcMs = startedUtcMs + Math.floorDiv(startUs, 1000);
    byte[] data = muxer.mux(tracks.hasVideo() ? configs[MediaKind.VIDEO.ordinal()] : null,
        tracks.hasAudio() ? configs[MediaKind.AUDIO.ordinal()] : null, done.packets());
    String fileName = names.slice(startUtcMs);
    if (type == SegmentType.MPEGTS) {
      playlist.add(new PlaylistEntry(fileName, durationUs, startUtcMs, done.discontinuity()));
      return new Slice(slices++, fileName, data, startUs, durationUs, startUtcMs, done.discontinuity());
    }
    Fmp4Boxes.Split split = Fmp4Boxes.split(data);
    CRC32 crc = new CRC32();
    crc.update(split.init());
    String map = names.init(String.format("%08x", crc.getValue()));
    boolean newInit = !map.equals(lastMap);
    lastMap = map;
    playlist.add(new PlaylistEntry(fileName, durationUs, startUtcMs, done.discontinuity(), map));
    return new Slice(slices++, fileName, split.media(), startUs, durationUs, startUtcMs, done.discontinuity(),
        newInit ? map : null, newInit ? split.init() : null);
  }
}
