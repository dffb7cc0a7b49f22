package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;

/**
 * Which codecs an individual recording passes through untouched: what HLS in MPEG-TS carries
 * (H.264, H.265 video; AAC audio). Anything else is decoded and re-encoded by the mixer.
 */
public final class HlsCodecs {

  private HlsCodecs() {
  }

  public static boolean fits(AVCodecParameters parameters) {
    int id = parameters.codec_id();
    return switch (parameters.codec_type()) {
      case AVMEDIA_TYPE_VIDEO -> id == AV_CODEC_ID_H264 || id == AV_CODEC_ID_HEVC;
      case AVMEDIA_TYPE_AUDIO -> id == AV_CODEC_ID_AAC;
      default -> false;
    };
  }

  /**
   * The bitstream filter that brings a passed-through codec into the form capstan.packets carries:
   * H.264/H.265 as Annex B (MP4 and FLV store them length-prefixed, MPEG-TS needs start codes),
   * AAC as raw frames with an AudioSpecificConfig (MPEG-TS sources carry ADTS headers). Each of them
   * lets data already in that form through unchanged.
   */
  static String bitstreamFilter(int codecId) {
    if (codecId == AV_CODEC_ID_H264) {
      return "h264_mp4toannexb";
    }
    if (codecId == AV_CODEC_ID_HEVC) {
      return "hevc_mp4toannexb";
    }
    if (codecId == AV_CODEC_ID_AAC) {
      return "aac_adtstoasc";
    }
    return "null";
  }
}
