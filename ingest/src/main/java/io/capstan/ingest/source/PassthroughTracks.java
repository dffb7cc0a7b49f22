package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import io.capstan.schemas.MediaKind;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/**
 * How an individual job reads one source whose codecs HLS can carry: the video (H.264/H.265)
 * passes through untouched; the audio passes through when it is AAC and is decoded to PCM
 * otherwise (Opus from WebRTC), so the mixer re-encodes only that. A source whose recorded video
 * HLS cannot carry (VP8...) is not passed through at all: {@link #open} says so and the reader
 * decodes the whole source instead.
 *
 * <p>Holds native memory (filters, decoder) until {@link #close()}.
 */
final class PassthroughTracks implements AutoCloseable {

  /** Where a source's packets go once read. */
  interface Handler extends PacketFilter.Sink, AudioDecoder.Sink {
  }

  private final int videoIndex;
  private final int audioIndex;
  private PacketFilter video;
  private PacketFilter audio;
  private AudioDecoder decoder;

  private PassthroughTracks(int videoIndex, int audioIndex) {
    this.videoIndex = videoIndex;
    this.audioIndex = audioIndex;
  }

  /**
   * @param wantAudio whether the job records the source's audio
   * @param wantVideo likewise for video
   * @return empty when nothing recorded can pass through, or the recorded video cannot
   */
  static Optional<PassthroughTracks> open(AVFormatContext format, boolean wantAudio, boolean wantVideo) {
    AVStream videoStream = wantVideo ? first(format, AVMEDIA_TYPE_VIDEO) : null;
    AVStream audioStream = wantAudio ? first(format, AVMEDIA_TYPE_AUDIO) : null;
    boolean videoFits = videoStream != null && HlsCodecs.fits(videoStream.codecpar());
    boolean audioFits = audioStream != null && HlsCodecs.fits(audioStream.codecpar());
    if ((videoStream != null && !videoFits) || (!videoFits && !audioFits)) {
      return Optional.empty();
    }
    PassthroughTracks tracks = new PassthroughTracks(videoFits ? videoStream.index() : -1,
        audioStream != null ? audioStream.index() : -1);
    try {
      if (videoFits) {
        tracks.video = new PacketFilter(videoStream, MediaKind.VIDEO);
      }
      if (audioFits) {
        tracks.audio = new PacketFilter(audioStream, MediaKind.AUDIO);
      } else if (audioStream != null) {
        tracks.decoder = new AudioDecoder(audioStream);
      }
      return Optional.of(tracks);
    } catch (RuntimeException e) {
      tracks.close();
      throw e;
    }
  }

  boolean passesVideo() {
    return video != null;
  }

  boolean passesAudio() {
    return audio != null;
  }

  boolean decodesAudio() {
    return decoder != null;
  }

  /** The stream's filter, or null when a kind is not passed through. */
  PacketFilter filter(MediaKind kind) {
    return kind == MediaKind.VIDEO ? video : audio;
  }

  /** The kind a demuxed packet belongs to, or null when the job records nothing of its stream. */
  MediaKind kindOf(AVPacket packet) {
    int index = packet.stream_index();
    return index == videoIndex ? MediaKind.VIDEO : index == audioIndex ? MediaKind.AUDIO : null;
  }

  /** Hands one demuxed packet of {@code kind} on; the caller unrefs it afterwards. */
  void read(AVPacket packet, MediaKind kind, Handler handler) throws InterruptedException {
    if (kind == MediaKind.VIDEO) {
      video.filter(packet, handler);
    } else if (audio != null) {
      audio.filter(packet, handler);
    } else {
      decoder.decode(packet, handler);
    }
  }

  private static AVStream first(AVFormatContext format, int type) {
    for (int i = 0; i < format.nb_streams(); i++) {
      AVStream stream = format.streams(i);
      if (stream.codecpar().codec_type() == type && stream.codecpar().codec_id() != 0) {
        return stream;
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (video != null) {
      video.close();
      video = null;
    }
    if (audio != null) {
      audio.close();
      audio = null;
    }
    if (decoder != null) {
      decoder.close();
      decoder = null;
    }
  }
}
