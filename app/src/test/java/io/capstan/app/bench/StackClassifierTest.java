package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written stacks in async-profiler's collapsed form: root first, leaf last. */
class StackClassifierTest {

  private static final String JAVA = "java/lang/Thread.run;";
  private static final String NATIVE = "start_thread;";

  @Test
  void nativeCodecFramesAreClassifiedBySymbolPrefix() {
    assertThat(StackClassifier.classify(NATIVE + "x264_8_threadpool_thread;x264_8_slices_write;"
        + "x264_8_macroblock_analyse;x264_8_pixel_satd_16x16_avx2")).isEqualTo(CpuCategory.X264);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/ingest/source/SourceReader.run;"
        + "org/bytedeco/javacv/FFmpegFrameGrabber.grabFrame;avcodec_send_packet;ff_h264_decode_mb_cabac"))
        .isEqualTo(CpuCategory.DECODING);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/mixer/encoder/AudioEncoder.encode;avcodec_send_frame;"
        + "aac_encode_frame;search_for_quantizers_twoloop;quantize_band_cost")).isEqualTo(CpuCategory.AAC);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/segmenter/mux/TsMuxer.write;av_interleaved_write_frame;"
        + "mpegts_write_packet_internal;avio_write")).isEqualTo(CpuCategory.MUXING);
  }

  @Test
  void threadsFfmpegStartedAreBilledByTheirCreatorWhenTheirFramesSayNothing() {
    String stripped = "/cache/linux-x86_64-gpl/libavcodec.so.62";
    assertThat(StackClassifier.classify("[native:mixer tid=12];" + stripped + ";" + stripped)).isEqualTo(CpuCategory.X264);
    assertThat(StackClassifier.classify("[native:av:h264:df0 tid=13];" + stripped)).isEqualTo(CpuCategory.DECODING);
    assertThat(StackClassifier.classify("[native:source-1001 tid=14];" + stripped)).isEqualTo(CpuCategory.DECODING);
    assertThat(StackClassifier.classify("[mixer tid=15];java/lang/Thread.run;java/util/HashMap.get"))
        .isEqualTo(CpuCategory.OTHER);
  }

  @Test
  void theAacDecoderIsDecodingNotAac() {
    assertThat(StackClassifier.classify(JAVA + "org/bytedeco/javacv/FFmpegFrameGrabber.grabFrame;"
        + "avcodec_receive_frame;aac_decode_frame;ff_aac_decode_ics;ff_tx_imdct_float")).isEqualTo(CpuCategory.DECODING);
  }

  @Test
  void javaFramesAreClassifiedByPackageFromTheLeafUp() {
    assertThat(StackClassifier.classify(JAVA + "kafka/network/Processor.run;kafka/network/Processor.poll;"
        + "org/apache/kafka/common/network/Selector.poll;java/util/HashMap.get")).isEqualTo(CpuCategory.BROKER);
    assertThat(StackClassifier.classify(JAVA + "org/apache/kafka/clients/producer/internals/Sender.run;"
        + "org/apache/kafka/common/network/Selector.poll;org/apache/kafka/common/utils/Crc32C.compute"))
        .isEqualTo(CpuCategory.PRODUCER);
    assertThat(StackClassifier.classify(JAVA + "org/apache/kafka/clients/consumer/KafkaConsumer.poll;"
        + "org/apache/kafka/clients/consumer/internals/CompletedFetch.parseRecord;"
        + "io/capstan/schemas/serde/AvroSerde.deserialize;org/apache/avro/io/BinaryDecoder.readLong"))
        .isEqualTo(CpuCategory.SERIALISATION);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/mixer/job/JobMixer.tick;"
        + "io/capstan/mixer/compositor/Compositor.compose;io/capstan/mixer/compositor/Canvas.fill"))
        .isEqualTo(CpuCategory.COMPOSITION);
  }

  @Test
  void aCopyIsItsCodecsWorkInsideACodecAndACopyElsewhere() {
    assertThat(StackClassifier.classify(NATIVE + "x264_8_threadpool_thread;x264_8_frame_init_lowres;"
        + "__memmove_avx_unaligned_erms")).isEqualTo(CpuCategory.X264);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/mixer/compositor/Compositor.compose;"
        + "io/capstan/mixer/compositor/Scaler.scale;sws_scale;ff_hscale8to15_4_avx2")).isEqualTo(CpuCategory.COMPOSITION);
    assertThat(StackClassifier.classify(JAVA + "org/apache/kafka/clients/producer/KafkaProducer.send;"
        + "org/apache/kafka/clients/producer/internals/RecordAccumulator.append;"
        + "java/nio/HeapByteBuffer.put;jbyte_disjoint_arraycopy")).isEqualTo(CpuCategory.CONVERSIONS);
    assertThat(StackClassifier.classify(JAVA + "io/capstan/ingest/source/SourceReader.run;"
        + "io/capstan/ingest/source/FrameConversion.toI420;sws_scale;ff_yuv2planeX_8_avx2"))
        .isEqualTo(CpuCategory.CONVERSIONS);
  }

  @Test
  void jvmThreadsAndWaitsHaveTheirOwnCategories() {
    assertThat(StackClassifier.classify(NATIVE + "thread_native_entry;Thread::call_run;GangWorker::loop;"
        + "G1ParTask::work;G1ParScanThreadState::trim_queue;memcpy")).isEqualTo(CpuCategory.GC);
    assertThat(StackClassifier.classify(NATIVE + "thread_native_entry;JavaThread::thread_main_inner;"
        + "CompileBroker::compiler_thread_loop;CompileBroker::invoke_compiler_on_method;C2Compiler::compile_method;"
        + "Compile::Compile;PhaseChaitin::Register_Allocate")).isEqualTo(CpuCategory.JIT);
    assertThat(StackClassifier.classify(JAVA + "kafka/network/Processor.run;org/apache/kafka/common/network/Selector.poll;"
        + "sun/nio/ch/EPoll.wait;epoll_wait;entry_SYSCALL_64_[k];do_syscall_64_[k];ep_poll_[k]"))
        .isEqualTo(CpuCategory.POLLING);
    assertThat(StackClassifier.classify(JAVA + "java/util/concurrent/ThreadPoolExecutor.runWorker;"
        + "jdk/internal/misc/Unsafe.park;Unsafe_Park;Parker::park;__pthread_cond_timedwait")).isEqualTo(CpuCategory.POLLING);
  }

  @Test
  void whatNamesNothingIsOther() {
    assertThat(StackClassifier.classify(JAVA + "io/capstan/runtime/service/ServiceGroup.tick;java/util/HashMap.get"))
        .isEqualTo(CpuCategory.OTHER);
    assertThat(StackClassifier.classify("asm_sysvec_apic_timer_interrupt_[k];hrtimer_interrupt_[k]"))
        .isEqualTo(CpuCategory.OTHER);
  }

  @Test
  void aCollapsedProfileIsSummedByCategory() {
    Map<CpuCategory, Long> split = StackClassifier.split(List.of(
        NATIVE + "x264_8_threadpool_thread;x264_8_macroblock_analyse 70",
        JAVA + "kafka/server/KafkaApis.handle;java/util/HashMap.get 20",
        JAVA + "java/util/HashMap.get 10",
        "not a line"));

    assertThat(split).containsEntry(CpuCategory.X264, 70L).containsEntry(CpuCategory.BROKER, 20L)
        .containsEntry(CpuCategory.OTHER, 10L).containsEntry(CpuCategory.AAC, 0L).hasSize(CpuCategory.values().length);
  }
}
