package io.capstan.segmenter.mux;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get_by_name;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.NativeCopy;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.TrackConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Muxes encoded packets into one file held in memory: an FFmpeg muxer writes through a custom
 * AVIOContext whose write callback appends to a byte array, so no temp file is ever made. The
 * AVIOContext cannot seek, so only formats that write straight through work (MPEG-TS, fragmented
 * MP4). {@link #drain()} hands out what was written so far, so a long file can leave memory while
 * it is being made. Output is bit-exact (no encoder tag, no wall-clock time): the same packets
 * give the same bytes, which is what lets a new owner make a file again after a takeover.
 *
 * <p>Not thread-safe. Holds native memory until {@link #close()}; {@link #finish()} closes too.
 */
public abstract class MemoryMuxer implements AutoCloseable {

  private static final AVRational MICROS = av_make_q(1, 1_000_000);
  private static final int IO_BUFFER_BYTES = 64 * 1024;

  private final ByteArrayOutputStream sink = new ByteArrayOutputStream(512 * 1024);
  private AVFormatContext context;
  private AVIOContext io;
  private AVPacket packet;
  private int videoIndex = -1;
  private int audioIndex = -1;
  private boolean finished;
  private long offsetUs;

  /**
   * Opens FFmpeg's muxer {@code format} with a video and/or an audio track (either may be null, not
   * both) and writes the header with the muxer {@code options}.
   */
  /** Every timestamp written is moved by {@code offsetUs} (see SliceTimestamps for why MPEG-TS needs it). */
  protected final void offsetTimestamps(long offsetUs) {
    this.offsetUs = offsetUs;
  }

  protected MemoryMuxer(String format, Map<String, String> options, TrackConfig video, TrackConfig audio) {
    if (video == null && audio == null) {
      throw new IllegalArgumentException("a file needs at least one track");
    }
    Natives.require();
    try {
      context = new AVFormatContext(null);
      FFmpegException.check("avformat_alloc_output_context2(" + format + ")",
          avformat_alloc_output_context2(context, null, format, null));
      context.flags(context.flags() | AVFormatContext.AVFMT_FLAG_BITEXACT);
      BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER_BYTES));
      io = avio_alloc_context(buffer, IO_BUFFER_BYTES, 1, context, null, MemoryWriter.CALLBACK, null);
      if (io == null || io.isNull()) {
        av_free(buffer);
        io = null;
        throw new FFmpegException("avio_alloc_context returned null (out of memory)");
      }
      context.pb(io);
      MemoryWriter.register(context, sink);
      if (video != null) {
        videoIndex = addStream(video, AVMEDIA_TYPE_VIDEO);
      }
      if (audio != null) {
        audioIndex = addStream(audio, AVMEDIA_TYPE_AUDIO);
      }
      AVDictionary dictionary = new AVDictionary(null);
      try {
        options.forEach((name, value) -> av_dict_set(dictionary, name, value, 0));
        FFmpegException.check("avformat_write_header(" + format + ")", avformat_write_header(context, dictionary));
      } finally {
        av_dict_free(dictionary);
      }
      packet = av_packet_alloc();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public final boolean hasVideo() {
    return videoIndex >= 0;
  }

  public final boolean hasAudio() {
    return audioIndex >= 0;
  }

  /** Writes one packet; times in microseconds on the job timeline. */
  public final void write(MediaKind kind, long ptsUs, long dtsUs, long durationUs, boolean key, ByteBuffer data) {
    if (finished) {
      throw new IllegalStateException("the file is finished");
    }
    int index = kind == MediaKind.VIDEO ? videoIndex : audioIndex;
    if (index < 0) {
      throw new IllegalArgumentException("this file has no " + kind + " track");
    }
    FFmpegException.check("av_new_packet", av_new_packet(packet, data.remaining()));
    NativeCopy.into(packet.data(), data);
    AVRational timeBase = context.streams(index).time_base();
    packet.stream_index(index);
    packet.pts(av_rescale_q(ptsUs + offsetUs, MICROS, timeBase));
    packet.dts(dtsUs == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(dtsUs + offsetUs, MICROS, timeBase));
    packet.duration(durationUs > 0 ? av_rescale_q(durationUs, MICROS, timeBase) : 0);
    packet.flags(key ? AV_PKT_FLAG_KEY : 0);
    // Takes over the packet's reference and leaves it blank for the next call.
    FFmpegException.check("av_interleaved_write_frame(" + kind + ")", av_interleaved_write_frame(context, packet));
  }

  /** Bytes the muxer has written and {@link #drain()} has not handed out yet. */
  public int buffered() {
    return sink.size();
  }

  /** Hands out (and forgets) the bytes written so far; they continue the ones handed out before. */
  public byte[] drain() {
    byte[] bytes = sink.toByteArray();
    sink.reset();
    return bytes;
  }

  /**
   * Writes the trailer, frees the native side and returns the bytes not drained yet: the whole
   * file when nothing was drained.
   */
  public byte[] finish() {
    if (!finished) {
      FFmpegException.check("av_write_trailer", av_write_trailer(context));
      avio_flush(io);
      finished = true;
    }
    close();
    return drain();
  }

  private int addStream(TrackConfig config, int mediaType) {
    AVCodecDescriptor descriptor = avcodec_descriptor_get_by_name(config.getCodec());
    if (descriptor == null || descriptor.type() != mediaType) {
      throw new FFmpegException("unknown " + (mediaType == AVMEDIA_TYPE_VIDEO ? "video" : "audio")
          + " codec '" + config.getCodec() + "'");
    }
    AVStream stream = avformat_new_stream(context, null);
    if (stream == null) {
      throw new FFmpegException("avformat_new_stream returned null");
    }
    stream.time_base(MICROS);
    AVCodecParameters parameters = stream.codecpar();
    parameters.codec_type(mediaType);
    parameters.codec_id(descriptor.id());
    parameters.bit_rate(config.getBitrate());
    if (mediaType == AVMEDIA_TYPE_VIDEO) {
      parameters.width(config.getWidth());
      parameters.height(config.getHeight());
    } else {
      parameters.sample_rate(config.getSampleRate());
      av_channel_layout_default(parameters.ch_layout(), Math.max(1, config.getChannels()));
      parameters.frame_size(config.getFrameSize());
    }
    ByteBuffer extradata = config.getExtradata() == null ? ByteBuffer.allocate(0) : config.getExtradata().duplicate();
    if (extradata.hasRemaining()) {
      int size = extradata.remaining();
      // FFmpeg reads extradata with its padding zeroed (AV_INPUT_BUFFER_PADDING_SIZE = 64).
      BytePointer native_ = new BytePointer(av_mallocz(size + 64L));
      NativeCopy.into(native_, extradata);
      parameters.extradata(native_);
      parameters.extradata_size(size);
    }
    return stream.index();
  }

  @Override
  public final void close() {
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    if (context != null) {
      MemoryWriter.unregister(context);
      // avformat_free_context frees the streams and their extradata, not the custom AVIOContext.
      context.pb(null);
      avformat_free_context(context);
      context = null;
    }
    if (io != null) {
      // FFmpeg may have replaced the buffer it was given: free the one it holds now.
      av_free(io.buffer());
      io.buffer(null);
      avio_context_free(io);
      io = null;
    }
  }
}
