package io.capstan.app.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Puts each collapsed stack of a CPU profile (root first, frames separated by {@code ;}) in one
 * {@link CpuCategory}, from frame names alone: Java frames by package ({@code org/apache/avro/},
 * {@code kafka/server/}), native ones by the library's symbol prefixes ({@code x264_}, {@code ff_h264},
 * {@code sws_}), HotSpot's by class ({@code G1...::}, {@code CompileBroker::}).
 *
 * <p>The frame nearest the leaf that names a category decides: that is where the CPU was spent,
 * and whoever called it is billed only when the leaf says nothing (a {@code java/util/HashMap.get}
 * under {@code kafka/server/} is the broker's). Kernel frames are skipped: a system call is billed
 * to the code that made it. One exception: a copy or conversion ({@code memcpy}, swscale) that runs
 * inside a codec, a muxer, the compositor, GC or the JIT compiler is that one's work, not a copy
 * the pipeline chose to make; elsewhere (Java copying frames into native memory, the producer
 * filling its buffer) it is billed as a copy. A thread FFmpeg started is billed by the thread that
 * started it when nothing else names it ({@code [native:mixer ...]}: libx264's workers; see
 * {@link NativeThreadNames}).
 */
public final class StackClassifier {

  private record Rule(CpuCategory category, boolean encloses, Predicate<String> matches) {
  }

  private static final List<Rule> RULES = new ArrayList<>();

  static {
    // Waiting comes first: a wait is a wait whoever waits.
    rule(CpuCategory.POLLING, false, contains("epoll_wait", "epoll_pwait", "cond_wait", "cond_timedwait",
        "futex_abstimed_wait", "nanosleep", "Unsafe_Park", "Parker::park", "JVM_Sleep", "ObjectMonitor::wait",
        "sun/nio/ch/EPoll.wait", "java/lang/Thread.sleep", "jdk/internal/misc/Unsafe.park", "java/lang/Object.wait"),
        exact("poll", "__poll", "select", "__select", "ppoll", "__ppoll"));
    rule(CpuCategory.GC, true, prefix("G1", "PS", "Parallel", "Shenandoah", "Z", "Serial", "Tenured", "DefNew")
        .and(s -> s.contains("::")), contains("GCTaskThread", "ConcurrentGCThread", "GangWorker", "CollectedHeap::"));
    rule(CpuCategory.JIT, true, prefix("CompileBroker::", "C2Compiler::", "Compiler::", "CompilationPolicy::"));
    // Input side before the encoders: ff_aac_decode_* and mov_read_* are decoding, not AAC or muxing.
    rule(CpuCategory.DECODING, true, prefix("ff_h264", "h264_", "ff_h2645", "decode_", "ff_decode", "aac_decode",
        "ff_aac_decode", "avcodec_send_packet", "avcodec_receive_frame", "av_read_frame", "ff_read_packet", "mov_read",
        "ff_mov_read", "avformat_open_input", "avformat_find_stream_info", "ff_cabac", "ff_init_cabac"));
    rule(CpuCategory.X264, true, prefix("x264_", "X264_"), contains("libx264"));
    rule(CpuCategory.AAC, true, prefix("aac_encode", "ff_aac_", "ff_psy", "psy_3gpp", "search_for_", "quantize_",
        "ff_quantize_", "encode_window_bands", "codebook_trellis", "ff_lpc_"));
    rule(CpuCategory.MUXING, true, prefix("av_write_frame", "av_interleaved_write_frame", "avformat_write_header",
        "av_write_trailer", "ff_mpegts", "mpegts_", "mov_write", "ff_mov_write", "hls_write", "ff_hls", "avio_",
        "ffio_", "ff_interleave", "ff_write_chained"));
    rule(CpuCategory.COMPOSITION, true, prefix("io/capstan/mixer/compositor/", "io/capstan/mixer/audio/"));
    rule(CpuCategory.CONVERSIONS, false, prefix("sws_", "ff_sws", "ff_yuv2", "yuv2", "ff_hscale", "hScale", "rgb2",
        "swr_", "ff_resample", "av_image_copy", "av_frame_copy", "image_copy", "copy_plane", "io/capstan/ingest/source/FrameConversion",
        "org/bytedeco/javacpp/BytePointer.put", "org/bytedeco/javacpp/BytePointer.get",
        "org/bytedeco/javacpp/Pointer.memcpy", "java/nio/DirectByteBuffer.put", "java/nio/DirectByteBuffer.get",
        "java/nio/HeapByteBuffer.put", "java/nio/HeapByteBuffer.get"),
        contains("memcpy", "memmove", "arraycopy", "CopyMemory", "copyMemory", "libswscale", "libswresample"));
    rule(CpuCategory.SERIALISATION, false, prefix("org/apache/avro/", "io/capstan/schemas/"));
    rule(CpuCategory.PRODUCER, false, prefix("org/apache/kafka/clients/producer/"));
    rule(CpuCategory.CONSUMER, false, prefix("org/apache/kafka/clients/consumer/"));
    rule(CpuCategory.BROKER, false, prefix("kafka/", "org/apache/kafka/storage/", "org/apache/kafka/server/",
        "org/apache/kafka/raft/", "org/apache/kafka/controller/", "org/apache/kafka/metadata/",
        "org/apache/kafka/image/", "org/apache/kafka/coordinator/", "org/apache/kafka/network/",
        "io/capstan/broker/"));
    // Java entry points of the native work, for when the native frames are not symbolised.
    rule(CpuCategory.DECODING, false, prefix("org/bytedeco/javacv/FFmpegFrameGrabber", "io/capstan/ingest/source/AudioDecoder",
        "io/capstan/mixer/compositor/ImageDecoder"));
    rule(CpuCategory.X264, false, prefix("io/capstan/mixer/encoder/VideoEncoder"));
    rule(CpuCategory.AAC, false, prefix("io/capstan/mixer/encoder/AudioEncoder",
        "io/capstan/mixer/encoder/FormatAudioEncoder"));
    rule(CpuCategory.MUXING, false, prefix("io/capstan/segmenter/mux/", "io/capstan/segmenter/hls/"));
    // Threads FFmpeg started, which show only the stripped library (NativeThreadNames): by creator.
    rule(CpuCategory.X264, true, prefix("[native:mixer"));
    rule(CpuCategory.DECODING, true, prefix("[native:source-"), prefix("[native:av:").and(s -> s.contains(":df")));
  }

  private StackClassifier() {
  }

  /** The category of one collapsed stack (without its count). */
  public static CpuCategory classify(String stack) {
    String[] frames = stack.split(";");
    CpuCategory weak = null;
    for (int i = frames.length - 1; i >= 0; i--) {
      String frame = frames[i];
      if (frame.endsWith("_[k]")) {
        continue;
      }
      Rule rule = ruleOf(frame);
      if (rule == null) {
        continue;
      }
      if (weak == null && rule.category() != CpuCategory.CONVERSIONS) {
        return rule.category();
      }
      if (weak == null) {
        weak = CpuCategory.CONVERSIONS;
      } else if (rule.encloses()) {
        return rule.category();
      }
    }
    return weak != null ? weak : CpuCategory.OTHER;
  }

  /** Samples per category of a collapsed profile ({@code stack count} per line), every category present. */
  public static Map<CpuCategory, Long> split(Iterable<String> collapsedLines) {
    Map<CpuCategory, Long> samples = new EnumMap<>(CpuCategory.class);
    for (CpuCategory c : CpuCategory.values()) {
      samples.put(c, 0L);
    }
    for (String line : collapsedLines) {
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      long count;
      try {
        count = Long.parseLong(line.substring(space + 1).trim());
      } catch (NumberFormatException e) {
        continue;
      }
      samples.merge(classify(line.substring(0, space)), count, Long::sum);
    }
    return samples;
  }

  private static Rule ruleOf(String frame) {
    for (Rule r : RULES) {
      if (r.matches().test(frame)) {
        return r;
      }
    }
    return null;
  }

  @SafeVarargs
  private static void rule(CpuCategory category, boolean encloses, Predicate<String>... any) {
    Predicate<String> p = s -> false;
    for (Predicate<String> each : any) {
      p = p.or(each);
    }
    RULES.add(new Rule(category, encloses, p));
  }

  private static Predicate<String> prefix(String... prefixes) {
    return s -> {
      for (String p : prefixes) {
        if (s.startsWith(p)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Predicate<String> contains(String... parts) {
    return s -> {
      for (String p : parts) {
        if (s.contains(p)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Predicate<String> exact(String... names) {
    List<String> all = List.of(names);
    return all::contains;
  }
}
