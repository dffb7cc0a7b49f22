package io.capstan.mixer.encoder;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
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
import org.bytedeco.javacpp.FloatPointer;

/**
 * AAC-LC with FFmpeg's native "aac" encoder: 48 kHz, float planar, 1024-sample frames, pts in
 * samples. Packets are raw AAC frames (no ADTS); the AudioSpecificConfig is the extradata. The
 * encoder's priming makes the first packet start 1024 samples before the first input sample.
 */
public final class AudioEncoder implements BlockEncoder {

  public static final int FRAME_SIZE = 1024;

  private final int channels;
  private AVCodecContext context;
  private AVFrame frame;
  private final CodecOutput output;
  private final TrackConfig config;
  private final float[] plane = new float[FRAME_SIZE];
  private boolean flushed;

  /** audioProfile 0: mono 48 kbps; 1: mono 128 kbps; 2: stereo 192 kbps. */
  public static AudioEncoder forProfile(int audioProfile) {
    return switch (audioProfile) {
      case 1 -> new AudioEncoder(1, 128_000);
      case 2 -> new AudioEncoder(2, 192_000);
      default -> new AudioEncoder(1, 48_000);
    };
  }

  public static int channelsOf(int audioProfile) {
    return audioProfile == 2 ? 2 : 1;
  }

  public AudioEncoder(int channels, long bitrate) {
    this.channels = channels;
    AVCodec codec = avcodec_find_encoder_by_name("aac");
    if (codec == null) {
      throw new FFmpegException("the aac encoder is not in this FFmpeg build");
    }
    context = avcodec_alloc_context3(codec);
    context.sample_fmt(AV_SAMPLE_FMT_FLTP);
    context.sample_rate(OutputTimeline.SAMPLE_RATE);
    av_channel_layout_default(context.ch_layout(), channels);
    context.bit_rate(bitrate);
    context.time_base(av_make_q(1, OutputTimeline.SAMPLE_RATE));
    // The AudioSpecificConfig goes to extradata (TrackConfig), packets stay raw.
    context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    int ret = avcodec_open2(context, codec, (AVDictionary) null);
    if (ret < 0) {
      avcodec_free_context(context);
      context = null;
      throw new FFmpegException("avcodec_open2(aac)", ret);
    }
    frame = av_frame_alloc();
    frame.format(AV_SAMPLE_FMT_FLTP);
    frame.sample_rate(OutputTimeline.SAMPLE_RATE);
    frame.nb_samples(context.frame_size());
    av_channel_layout_copy(frame.ch_layout(), context.ch_layout());
    ret = av_frame_get_buffer(frame, 0);
    if (ret < 0) {
      close();
      throw new FFmpegException("av_frame_get_buffer(audio)", ret);
    }
    output = new CodecOutput(MediaKind.AUDIO, OutputTimeline::audioTimeUs, FRAME_SIZE);
    config = TrackConfig.newBuilder()
        .setCodec("aac")
        .setSampleRate(OutputTimeline.SAMPLE_RATE)
        .setChannels(channels)
        .setBitrate(bitrate)
        .setExtradata(CodecOutput.extradata(context))
        .setFrameSize(context.frame_size())
        .build();
  }

  public int channels() {
    return channels;
  }

  public TrackConfig config() {
    return config;
  }

  /** Encodes {@link #FRAME_SIZE} interleaved s16 samples starting at output sample {@code firstSample}. */
  public List<Packet> encode(short[] interleaved, long firstSample) {
    if (interleaved.length != FRAME_SIZE * channels) {
      throw new IllegalArgumentException("expected " + FRAME_SIZE + " samples per channel");
    }
    FFmpegException.check("av_frame_make_writable(audio)", av_frame_make_writable(frame));
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < FRAME_SIZE; i++) {
        plane[i] = interleaved[i * channels + c] / 32768f;
      }
      new FloatPointer(frame.data(c)).put(plane, 0, FRAME_SIZE);
    }
    frame.pts(firstSample);
    FFmpegException.check("avcodec_send_frame(aac)", avcodec_send_frame(context, frame));
    return output.drain(context, config);
  }

  public List<Packet> flush() {
    if (flushed) {
      return List.of();
    }
    flushed = true;
    FFmpegException.check("avcodec_send_frame(aac, flush)", avcodec_send_frame(context, null));
    return output.drain(context, config);
  }

  @Override
  public void close() {
    if (output != null) {
      output.close();
    }
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (context != null) {
      avcodec_free_context(context);
      context = null;
    }
  }
}
