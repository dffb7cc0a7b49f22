package io.capstan.segmenter.mp4;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.mux.H264;
import io.capstan.segmenter.mux.MemoryMuxer;
import io.capstan.segmenter.naming.TrackSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The MP4 files of one output (a job's composite): a file opens at the first video keyframe (the
 * first audio packet for audio only), and the next one at the first keyframe whose pts reaches
 * the file's start plus {@code maxUs}. For the composite, whose keyframes sit on slice boundaries,
 * a file is therefore {@code maxUs} rounded up to a whole slice. A break upstream (the mixer
 * restarted) ends the file; the next one starts at the next keyframe.
 *
 * <p>Audio that arrives after the keyframe that cut, with a pts before it, still goes to the file
 * it belongs to: the previous file stays open until audio reaches the cut. Audio before the very
 * first keyframe is dropped (a file starts with its picture).
 *
 * <p>Bytes leave as chunks while the file is being made ({@link #accept} returns them), so memory
 * holds about one fragment (one GOP) per file, not the file.
 *
 * <p>Resuming: the output's records are replayed from {@link #pendingOffset()} by a new owner,
 * which makes the open files again byte for byte (the muxer is bit-exact) from
 * {@code firstIndex} = {@link #pendingIndex()}: chunks already out are sent again with the same
 * offsets and bytes, never a different file.
 */
public final class Mp4Output implements AutoCloseable {

  /** A keyframe this close before the limit is on it (as for slice boundaries). */
  static final long TOLERANCE_US = 1_000;
  /** Longest wait for the second track's config before the file opens without that track. */
  static final long CONFIG_WAIT_US = 5_000_000;

  private final BiFunction<Long, Integer, String> names;
  private final TrackSet tracks;
  private final long maxUs;
  private final long startedUtcMs;
  private final int chunkBytes;
  private final BiFunction<TrackConfig, TrackConfig, MemoryMuxer> muxers;
  private final TrackConfig[] configs = new TrackConfig[MediaKind.values().length];
  private final List<Packet> waiting = new ArrayList<>();
  /** Audio that came before the first keyframe (the video encoder's delay): kept for the first file. */
  private final List<Packet> early = new ArrayList<>();
  private long waitingOffset = -1;
  private long earlyOffset = -1;
  private Mp4Part current;
  private Mp4Part closing;
  private int nextIndex;
  private boolean ended;

  /**
   * @param names the file name of the file starting at a UTC ms with an index
   * @param firstIndex the index of this output's next file (0 unless continuing another owner's)
   * @param muxers opens a muxer for a video and an audio config (either null)
   */
  public Mp4Output(BiFunction<Long, Integer, String> names, TrackSet tracks, long maxUs, long startedUtcMs,
                   int firstIndex, int chunkBytes, BiFunction<TrackConfig, TrackConfig, MemoryMuxer> muxers) {
    if (maxUs <= 0) {
      throw new IllegalArgumentException("the MP4 file duration must be positive, got " + maxUs + " us");
    }
    this.names = names;
    this.tracks = tracks;
    this.maxUs = maxUs;
    this.startedUtcMs = startedUtcMs;
    this.nextIndex = firstIndex;
    this.chunkBytes = chunkBytes;
    this.muxers = muxers;
  }

  public boolean accepts(MediaKind kind) {
    return kind == MediaKind.VIDEO ? tracks.hasVideo() : tracks.hasAudio();
  }

  public boolean ended() {
    return ended;
  }

  /** Offset of the first record of the earliest file still open, or -1. */
  public long pendingOffset() {
    if (closing != null) {
      return closing.firstOffset();
    }
    if (current != null) {
      return current.firstOffset();
    }
    return waitingOffset >= 0 ? waitingOffset : earlyOffset;
  }

  /** The index of the earliest file still open (or of the next file): where a new owner starts. */
  public int pendingIndex() {
    if (closing != null) {
      return closing.index();
    }
    return current != null ? current.index() : nextIndex;
  }

  /** Takes one packet (record {@code offset}); returns the chunks it completed. */
  public List<Mp4Chunk> accept(Packet packet, long offset) {
    if (ended || !accepts(packet.getKind())) {
      return List.of();
    }
    if (packet.getConfig() != null) {
      configs[packet.getKind().ordinal()] = packet.getConfig();
    }
    List<Mp4Chunk> out = new ArrayList<>();
    if (current == null) {
      await(packet, offset, out);
      return out;
    }
    boolean audio = packet.getKind() == MediaKind.AUDIO;
    if (closing != null) {
      if (audio && packet.getPtsUs() < current.originUs()) {
        closing.write(packet, fallbackDuration(packet));
        out.addAll(closing.fullChunks());
        return out;
      }
      if (audio) {
        out.addAll(finish(closing));
        closing = null;
      }
    }
    if (cutsHere(packet)) {
      if (closing != null) {
        out.addAll(finish(closing));
      }
      closing = current;
      current = open(packet, offset);
      if (!tracks.hasAudio()) {
        out.addAll(finish(closing));
        closing = null;
      }
    }
    write(current, packet, out);
    return out;
  }

  /** A break upstream: the open files end; the next file starts at the next keyframe. */
  public List<Mp4Chunk> breakHere() {
    List<Mp4Chunk> out = new ArrayList<>();
    finishAll(out);
    return out;
  }

  /** The end of the output: the open files end. */
  public List<Mp4Chunk> end() {
    List<Mp4Chunk> out = new ArrayList<>();
    if (!ended) {
      finishAll(out);
      ended = true;
    }
    return out;
  }

  @Override
  public void close() {
    if (closing != null) {
      closing.close();
      closing = null;
    }
    if (current != null) {
      current.close();
      current = null;
    }
    waiting.clear();
  }

  /** Before the first file: waits for a video keyframe (audio only: any packet) and every track's config. */
  private void await(Packet packet, long offset, List<Mp4Chunk> out) {
    boolean video = packet.getKind() == MediaKind.VIDEO;
    if (waiting.isEmpty()) {
      boolean starts = tracks.hasVideo() ? video && packet.getKey() : configs[MediaKind.AUDIO.ordinal()] != null;
      if (!starts) {
        if (!video && tracks.hasAudio() && nextIndex == 0) {
          // The first keyframe comes out of the video encoder after audio of the same instants.
          if (early.isEmpty()) {
            earlyOffset = offset;
          }
          early.add(packet);
          early.removeIf(p -> packet.getPtsUs() - p.getPtsUs() > CONFIG_WAIT_US);
        }
        return;
      }
      waitingOffset = earlyOffset >= 0 ? Math.min(earlyOffset, offset) : offset;
      earlyOffset = -1;
      waiting.addAll(early.stream().filter(p -> p.getPtsUs() >= packet.getPtsUs()).toList());
      early.clear();
    }
    waiting.add(packet);
    boolean configsKnown = (!tracks.hasVideo() || configs[MediaKind.VIDEO.ordinal()] != null)
        && (!tracks.hasAudio() || configs[MediaKind.AUDIO.ordinal()] != null);
    long waited = packet.getPtsUs() - waiting.stream().filter(p -> p.getKind() == packet.getKind()).findFirst()
        .orElse(packet).getPtsUs();
    if (!configsKnown && waited < CONFIG_WAIT_US) {
      return;
    }
    Packet first = waiting.stream().filter(p -> !tracks.hasVideo() || p.getKind() == MediaKind.VIDEO).findFirst()
        .orElse(waiting.get(0));
    current = open(first, waitingOffset);
    for (Packet p : waiting) {
      if (p.getPtsUs() >= current.originUs() || p.getKind() == MediaKind.VIDEO) {
        write(current, p, out);
      }
    }
    waiting.clear();
    waitingOffset = -1;
  }

  private void write(Mp4Part part, Packet packet, List<Mp4Chunk> out) {
    if (!part.has(packet.getKind())) {
      return;
    }
    if (packet.getKind() == MediaKind.AUDIO && packet.getPtsUs() < part.originUs()) {
      return;
    }
    part.write(packet, fallbackDuration(packet));
    out.addAll(part.fullChunks());
  }

  private boolean cutsHere(Packet packet) {
    boolean trigger = tracks.hasVideo() ? packet.getKind() == MediaKind.VIDEO && packet.getKey()
        : packet.getKind() == MediaKind.AUDIO;
    return trigger && packet.getPtsUs() >= current.originUs() + maxUs - TOLERANCE_US;
  }

  private Mp4Part open(Packet first, long offset) {
    TrackConfig video = tracks.hasVideo() ? configs[MediaKind.VIDEO.ordinal()] : null;
    if (video != null && first.getKind() == MediaKind.VIDEO) {
      video = H264.withParameterSets(video, first.getData());
    }
    TrackConfig audio = tracks.hasAudio() ? configs[MediaKind.AUDIO.ordinal()] : null;
    long origin = first.getPtsUs();
    long startUtcMs = startedUtcMs + Math.floorDiv(origin, 1000);
    int index = nextIndex++;
    return new Mp4Part(names.apply(startUtcMs, index), index, origin, startUtcMs, offset, chunkBytes,
        muxers.apply(video, audio));
  }

  private List<Mp4Chunk> finish(Mp4Part part) {
    try (part) {
      return part.finish();
    }
  }

  private void finishAll(List<Mp4Chunk> out) {
    if (closing != null) {
      out.addAll(finish(closing));
      closing = null;
    }
    if (current != null) {
      out.addAll(finish(current));
      current = null;
    }
    // Packets still waiting for a config never made a file: nothing to write.
    waiting.clear();
    waitingOffset = -1;
  }

  private long fallbackDuration(Packet packet) {
    TrackConfig config = configs[packet.getKind().ordinal()];
    if (packet.getKind() == MediaKind.AUDIO && config != null && config.getFrameSize() > 0
        && config.getSampleRate() > 0) {
      return config.getFrameSize() * 1_000_000L / config.getSampleRate();
    }
    return 0;
  }
}
