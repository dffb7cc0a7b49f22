package io.capstan.mixer.encoder;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import io.capstan.mixer.timeline.OutputTimeline;
import io.capstan.runtime.media.FFmpegException;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * H.264 with libx264 through avcodec. Frame n has pts n in a 1/fps time base (job time
 * n * 1e6 / fps). No B-frames, so packets come out in presentation order with dts = pts. The
 * caller forces an IDR at each slice boundary ({@code forced-idr}); scene-cut keyframes are off so
 * those are the only keyframes besides the GOP limit, which equals the slice length. No global
 * header: SPS and PPS travel in band before each IDR (Annex B), so every slice decodes alone.
 */
public final class VideoEncoder implements AutoCloseable {

  public record Settings(int width, int height, int fps, int bitrateKbps, int sliceSeconds, String preset,
                         int threads) {
  }

  private final Settings settings;
  private final OutputTimeline timeline;
  private AVCodecContext context;
  private final CodecOutput output;
  private final TrackConfig config;
  private boolean flushed;

  public VideoEncoder(Settings s) {
    this.settings = s;
    this.timeline = new OutputTimeline(s.fps(), s.sliceSeconds());
    AVCodec codec = avcodec_find_encoder_by_name("libx264");
    if (codec == null) {
      throw new FFmpegException("the libx264 encoder is not in this FFmpeg build");
    }
    context = avcodec_alloc_context3(codec);
    context.width(s.width());
    context.height(s.height());
    context.pix_fmt(AV_PIX_FMT_YUV420P);
    context.time_base(av_make_q(1, s.fps()));
    context.framerate(av_make_q(s.fps(), 1));
    context.gop_size(s.fps() * s.sliceSeconds());
    context.max_b_frames(0);
    context.bit_rate(s.bitrateKbps() * 1000L);
    context.rc_max_rate(s.bitrateKbps() * 1000L * 3 / 2);
    context.rc_buffer_size(s.bitrateKbps() * 1000 * 2);
    context.thread_count(Math.max(0, s.threads()));
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "preset", s.preset(), 0);
    av_dict_set(options, "forced-idr", "1", 0);
    av_dict_set(options, "x264-params", "scenecut=0", 0);
    int ret = avcodec_open2(context, codec, options);
    av_dict_free(options);
    if (ret < 0) {
      avcodec_free_context(context);
      context = null;
      throw new FFmpegException("avcodec_open2(libx264)", ret);
    }
    output = new CodecOutput(MediaKind.VIDEO, timeline::videoTimeUs, 1);
    config = TrackConfig.newBuilder()
        .setCodec("h264")
        .setWidth(s.width())
        .setHeight(s.height())
        .setBitrate(s.bitrateKbps() * 1000L)
        .setExtradata(CodecOutput.extradata(context))
        .build();
  }

  public TrackConfig config() {
    return config;
  }

  public Settings settings() {
    return settings;
  }

  /** Encodes the canvas as frame {@code frameIndex}; an IDR when {@code idr}. */
  public List<Packet> encode(AVFrame picture, long frameIndex, boolean idr) {
    picture.pts(frameIndex);
    picture.duration(1);
    picture.pict_type(idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    FFmpegException.check("avcodec_send_frame(libx264)", avcodec_send_frame(context, picture));
    return output.drain(context, config);
  }

  /** The delayed packets; the encoder takes no frame afterwards. */
  public List<Packet> flush() {
    if (flushed) {
      return List.of();
    }
    flushed = true;
    FFmpegException.check("avcodec_send_frame(libx264, flush)", avcodec_send_frame(context, null));
    return output.drain(context, config);
  }

  @Override
  public void close() {
    output.close();
    if (context != null) {
      avcodec_free_context(context);
      context = null;
    }
  }
}
