package io.capstan.segmenter.mux;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.Arrays;
import java.util.List;

/** Muxes the packets of one whole slice at once. */
public final class TsSlices {

  /**
   * The fewest TS packets a slice has. FFmpeg's probe trusts MPEG-TS only in a file of more than
   * 10 × 204 bytes and takes a shorter one (a recording stopped a frame or two into its last slice)
   * for MPEG-PS, so that slice opened alone (ffprobe, a download) does not decode. Shorter slices
   * are padded with null packets, which every demuxer skips.
   */
  static final int MIN_PACKETS = 12;
  private static final int PACKET_SIZE = 188;

  private TsSlices() {
  }

  /**
   * @param video the video track's config, or null when the slice has no video track
   * @param audio the audio track's config, or null when the slice has no audio track
   * @param packets the slice's packets, in arrival order (dts order per kind)
   */
  public static byte[] mux(TrackConfig video, TrackConfig audio, List<Packet> packets) {
    try (TsMuxer muxer = new TsMuxer(video, audio)) {
      for (Packet p : packets) {
        if (p.getKind() == MediaKind.VIDEO ? muxer.hasVideo() : muxer.hasAudio()) {
          muxer.write(p.getKind(), p.getPtsUs(), p.getDtsUs(), p.getDurationUs(), p.getKey(), p.getData());
        }
      }
      return padded(muxer.finish());
    }
  }

  private static byte[] padded(byte[] ts) {
    if (ts.length >= MIN_PACKETS * PACKET_SIZE) {
      return ts;
    }
    byte[] out = Arrays.copyOf(ts, MIN_PACKETS * PACKET_SIZE);
    for (int at = ts.length; at < out.length; at += PACKET_SIZE) {
      // sync, PID 0x1FFF, payload only; the payload is stuffing (0xFF)
      out[at] = 0x47;
      out[at + 1] = 0x1F;
      out[at + 2] = (byte) 0xFF;
      out[at + 3] = 0x10;
      Arrays.fill(out, at + 4, at + PACKET_SIZE, (byte) 0xFF);
    }
    return out;
  }
}
