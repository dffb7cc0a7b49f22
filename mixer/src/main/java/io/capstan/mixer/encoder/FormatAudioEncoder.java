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

import io.capstan.mixer.audio.SincResampler;
import io.capstan.mixer.timeline.OutputTimeline;
import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.TrackConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The audio of an audio-mix job in the requested format: the 48 kHz mix is resampled (windowed
 * sinc, in Java) to the requested rate and encoded with libmp3lame (mp3) or FFmpeg's aac (m4a,
 * aac) at the requested bitrate and channel count. Packets are timed in output samples.
 */
public final class FormatAudioEncoder implements BlockEncoder {

  private final int channels;
  private final int rate;
  private final SincResampler resampler;
  private final CodecOutput output;
  private final TrackConfig config;
  private final int frameSize;
  private final float[][] fifo;
  private int fifoSize;
  private long nextPts = Long.MIN_VALUE;
  private AVCodecContext context;
  private AVFrame frame;
  private boolean flushed;

  /** The encoder a composite job's audio needs: the audio mix's format, or AAC of the audioProfile. */
  public static BlockEncoder forSpec(JobSpec spec) {
    PostProcessing post = spec.getPostProcessing();
    if (post != null && post.getKind() == PostProcessingKind.AUDIO_MIX) {
      return new FormatAudioEncoder(post.getFormat(), post.getSampleRate(), AudioEncoder.channelsOf(
          spec.getAudioProfile()), post.getAudioBitrate());
    }
    return AudioEncoder.forProfile(spec.getAudioProfile());
  }

  /** @param format mp3, m4a or aac; {@code channels} is also the mix's channel count (1 or 2) */
  public FormatAudioEncoder(String format, int sampleRate, int channels, long bitrate) {
    Natives.require();
    String codecName = switch (format.toLowerCase(Locale.ROOT)) {
      case "mp3" -> "libmp3lame";
      case "m4a", "aac" -> "aac";
      default -> throw new IllegalArgumentException("audio format '" + format + "' is not mp3, m4a or aac");
    };
    this.channels = channels;
    this.rate = sampleRate;
    this.resampler = new SincResampler(OutputTimeline.SAMPLE_RATE, sampleRate, channels);
    AVCodec codec = avcodec_find_encoder_by_name(codecName);
    if (codec == null) {
      throw new FFmpegException("the " + codecName + " encoder is not in this FFmpeg build");
    }
    context = avcodec_alloc_context3(codec);
    context.sample_fmt(AV_SAMPLE_FMT_FLTP);
    context.sample_rate(sampleRate);
    av_channel_layout_default(context.ch_layout(), channels);
    context.bit_rate(bitrate);
    context.time_base(av_make_q(1, sampleRate));
    context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    int ret = avcodec_open2(context, codec, (AVDictionary) null);
    if (ret < 0) {
      avcodec_free_context(context);
      context = null;
      throw new FFmpegException("avcodec_open2(" + codecName + ")", ret);
    }
    frameSize = context.frame_size() > 0 ? context.frame_size() : 1152;
    frame = av_frame_alloc();
    frame.format(AV_SAMPLE_FMT_FLTP);
    frame.sample_rate(sampleRate);
    frame.nb_samples(frameSize);
    av_channel_layout_copy(frame.ch_layout(), context.ch_layout());
    ret = av_frame_get_buffer(frame, 0);
    if (ret < 0) {
      close();
      throw new FFmpegException("av_frame_get_buffer(audio)", ret);
    }
    fifo = new float[channels][frameSize * 8];
    output = new CodecOutput(MediaKind.AUDIO, s -> Math.floorDiv(s * 1_000_000L, sampleRate), frameSize);
    config = TrackConfig.newBuilder()
        // The codec as muxers name it: libmp3lame writes "mp3".
        .setCodec(codecName.equals("libmp3lame") ? "mp3" : "aac")
        .setSampleRate(sampleRate)
        .setChannels(channels)
        .setBitrate(bitrate)
        .setExtradata(CodecOutput.extradata(context))
        .setFrameSize(frameSize)
        .build();
  }

  public TrackConfig config() {
    return config;
  }

  @Override
  public List<Packet> encode(short[] interleaved, long firstSample) {
    if (nextPts == Long.MIN_VALUE) {
      nextPts = Math.floorDiv(firstSample * rate, OutputTimeline.SAMPLE_RATE);
    }
    float[][] resampled = resampler.process(interleaved);
    append(resampled);
    List<Packet> out = new ArrayList<>();
    while (fifoSize >= frameSize) {
      out.addAll(send(frameSize));
    }
    return out;
  }

  @Override
  public List<Packet> flush() {
    if (flushed) {
      return List.of();
    }
    flushed = true;
    List<Packet> out = new ArrayList<>();
    if (nextPts != Long.MIN_VALUE) {
      append(resampler.drain());
      while (fifoSize > 0) {
        out.addAll(send(Math.min(fifoSize, frameSize)));
      }
    }
    FFmpegException.check("avcodec_send_frame(flush)", avcodec_send_frame(context, null));
    out.addAll(output.drain(context, config));
    return out;
  }

  private void append(float[][] samples) {
    int n = samples[0].length;
    if (fifoSize + n > fifo[0].length) {
      for (int c = 0; c < channels; c++) {
        fifo[c] = java.util.Arrays.copyOf(fifo[c], Math.max(fifo[c].length * 2, fifoSize + n));
      }
    }
    for (int c = 0; c < channels; c++) {
      System.arraycopy(samples[c], 0, fifo[c], fifoSize, n);
    }
    fifoSize += n;
  }

  /** Encodes {@code n} samples from the FIFO (a short last frame is padded with silence). */
  private List<Packet> send(int n) {
    FFmpegException.check("av_frame_make_writable(audio)", av_frame_make_writable(frame));
    for (int c = 0; c < channels; c++) {
      float[] plane = new float[frameSize];
      System.arraycopy(fifo[c], 0, plane, 0, n);
      new FloatPointer(frame.data(c)).put(plane, 0, frameSize);
      System.arraycopy(fifo[c], n, fifo[c], 0, fifoSize - n);
    }
    fifoSize -= n;
    frame.pts(nextPts);
    nextPts += frameSize;
    FFmpegException.check("avcodec_send_frame", avcodec_send_frame(context, frame));
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
