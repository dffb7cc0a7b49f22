package io.capstan.segmenter.mp4;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.segmenter.mux.MemoryMuxer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One MP4 file being made: its muxer and the bytes written but not handed out yet (less than one
 * chunk). Times in the file start at the part's origin (the pts of the packet that opened it).
 */
final class Mp4Part implements AutoCloseable {

  private final String fileName;
  private final int index;
  private final long originUs;
  private final long startUtcMs;
  private final long firstOffset;
  private final int chunkBytes;
  private final MemoryMuxer muxer;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();
  private final long[] lastPts = {Long.MIN_VALUE, Long.MIN_VALUE};
  private final long[] lastStep = {0, 0};
  private long handedOut;
  private long endUs;

  Mp4Part(String fileName, int index, long originUs, long startUtcMs, long firstOffset, int chunkBytes,
          MemoryMuxer muxer) {
    this.fileName = fileName;
    this.index = index;
    this.originUs = originUs;
    this.startUtcMs = startUtcMs;
    this.firstOffset = firstOffset;
    this.chunkBytes = chunkBytes;
    this.muxer = muxer;
    this.endUs = originUs;
  }

  int index() {
    return index;
  }

  long originUs() {
    return originUs;
  }

  long firstOffset() {
    return firstOffset;
  }

  boolean has(MediaKind kind) {
    return kind == MediaKind.VIDEO ? muxer.hasVideo() : muxer.hasAudio();
  }

  /** Writes one packet; {@code fallbackDurationUs} when the packet carries none (0: the track's last step). */
  void write(Packet p, long fallbackDurationUs) {
    int k = p.getKind().ordinal();
    long pts = p.getPtsUs();
    if (lastPts[k] != Long.MIN_VALUE && pts > lastPts[k]) {
      lastStep[k] = pts - lastPts[k];
    }
    lastPts[k] = pts;
    long duration = p.getDurationUs() > 0 ? p.getDurationUs() : fallbackDurationUs > 0 ? fallbackDurationUs : lastStep[k];
    endUs = Math.max(endUs, pts + duration);
    long dts = p.getDtsUs() == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : p.getDtsUs() - originUs;
    muxer.write(p.getKind(), pts - originUs, dts, duration, p.getKey() || p.getKind() == MediaKind.AUDIO,
        p.getData());
  }

  /** Full chunks of what the muxer wrote so far; the rest stays until it fills one. */
  List<Mp4Chunk> fullChunks() {
    if (muxer.buffered() + held.size() < chunkBytes) {
      return List.of();
    }
    held.writeBytes(muxer.drain());
    return cut(false);
  }

  /** Finishes the file: every byte not handed out yet, the last chunk marked last. */
  List<Mp4Chunk> finish() {
    held.writeBytes(muxer.finish());
    return cut(true);
  }

  private List<Mp4Chunk> cut(boolean end) {
    byte[] bytes = held.toByteArray();
    held.reset();
    List<Mp4Chunk> chunks = new ArrayList<>();
    int at = 0;
    while (bytes.length - at >= chunkBytes && !(end && bytes.length - at == chunkBytes)) {
      chunks.add(chunk(Arrays.copyOfRange(bytes, at, at + chunkBytes), false));
      at += chunkBytes;
    }
    if (end) {
      chunks.add(chunk(Arrays.copyOfRange(bytes, at, bytes.length), true));
    } else {
      held.write(bytes, at, bytes.length - at);
    }
    return chunks;
  }

  private Mp4Chunk chunk(byte[] data, boolean last) {
    Mp4Chunk chunk = new Mp4Chunk(fileName, handedOut, data, last, startUtcMs, (endUs - originUs) / 1_000_000.0);
    handedOut += data.length;
    return chunk;
  }

  @Override
  public void close() {
    muxer.close();
  }
}
