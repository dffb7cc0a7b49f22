package io.capstan.ingest.web;

import io.capstan.runtime.media.Natives;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grabs a page session's picture (FFmpeg {@code x11grab}, converted to I420 by swscale) and sound
 * (FFmpeg {@code pulse} from the sink's monitor, s16 48 kHz stereo) on two threads and hands them
 * to a {@link PageMediaListener}.
 *
 * <p>Timestamps are UTC microseconds on the session's {@link UtcClock}. x11grab and pulse stamp
 * packets with the wall clock, but JavaCV overflows converting such large timestamps
 * ({@code 1e6 * pts} exceeds a long), and the pulse input's first stamps are ~0.2 s off while
 * its smoothing filter settles (measured). So: a picture is stamped when x11grab returns it
 * (x11grab captures the screen at that moment and, opened without probing, keeps no backlog; the
 * conversion takes ~1 ms). The sound is stamped by counting samples from an anchor: the first
 * read that had to wait for sound (so that sound had just played) ends "now"; sound queued before
 * it is dropped (a few tens of ms at the start). Later reads that wait check the count against
 * the clock and re-anchor it when they part by more than 100 ms (sound lost while the listener
 * was slow). The null sink's monitor produces silence while the page is quiet, so the sound is
 * continuous.
 */
public final class PageCapture implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PageCapture.class);
  /** PulseAudio fragment: 1024 stereo s16 frames, ~21 ms: the audio latency and chunk size. */
  private static final int FRAGMENT_BYTES = 1024 * SoundServer.CHANNELS * 2;
  /**
   * How far the sample count may part from the clock (checked on reads that waited for fresh
   * sound), and on how many such reads in a row, before it is re-anchored.
   */
  private static final long MAX_AUDIO_SLIP_US = 100_000;
  private static final int SLIP_CHUNKS = 3;
  /** At most this much queued sound (about a second) is dropped before the first fresh read. */
  private static final int MAX_BACKLOG_CHUNKS = 50;

  private final PageMediaListener listener;
  private final UtcClock clock;
  private final FFmpegFrameGrabber video;
  private final FFmpegFrameGrabber audio;
  private final int width;
  private final int height;
  private final Thread videoThread;
  private final Thread audioThread;
  private final AtomicLong videoFrames = new AtomicLong();
  private final AtomicLong audioSamples = new AtomicLong();
  private final AtomicLong videoCpuNanos = new AtomicLong();
  private final AtomicLong audioCpuNanos = new AtomicLong();
  private volatile boolean running = true;

  private PageCapture(PageMediaListener listener, UtcClock clock, FFmpegFrameGrabber video,
      FFmpegFrameGrabber audio, int width, int height, String name) {
    this.listener = listener;
    this.clock = clock;
    this.video = video;
    this.audio = audio;
    this.width = width;
    this.height = height;
    this.videoThread = new Thread(this::videoLoop, name + "-video");
    this.audioThread = new Thread(this::audioLoop, name + "-audio");
  }

  /** An x11grab grabber of the session's viewport, I420 at the session's rate; not started. */
  static FFmpegFrameGrabber videoGrabber(String display, PageOptions options) {
    Natives.require();
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(display + ".0+0,0");
    grabber.setFormat("x11grab");
    grabber.setImageWidth(options.frameWidth());
    grabber.setImageHeight(options.frameHeight());
    grabber.setFrameRate(options.fps());
    grabber.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    grabber.setOption("draw_mouse", "0");
    return grabber;
  }

  /** A pulse grabber of the session's sink monitor, s16 48 kHz stereo; not started. */
  static FFmpegFrameGrabber audioGrabber(SoundServer sound) {
    Natives.require();
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(sound.monitorSource());
    grabber.setFormat("pulse");
    grabber.setOption("server", sound.serverAddress());
    grabber.setOption("name", "capstan");
    grabber.setOption("fragment_size", Integer.toString(FRAGMENT_BYTES));
    grabber.setSampleRate(SoundServer.SAMPLE_RATE);
    grabber.setAudioChannels(SoundServer.CHANNELS);
    grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
    return grabber;
  }

  static PageCapture start(String name, UtcClock clock, FFmpegFrameGrabber video, FFmpegFrameGrabber audio,
      PageOptions options, PageMediaListener listener) throws FrameGrabber.Exception {
    try {
      // The sound first, probed as usual (unprobed, its first ~0.6 s went missing). The picture
      // unprobed: probing would buffer pictures that then come out later than they were taken.
      audio.start();
      video.start(false);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(video);
      closeQuietly(audio);
      throw e;
    }
    PageCapture capture = new PageCapture(listener, clock, video, audio, options.frameWidth(),
        options.frameHeight(), name);
    capture.audioThread.start();
    capture.videoThread.start();
    return capture;
  }

  private void videoLoop() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int[] strides = {width, width / 2, width / 2};
    int size = width * height + 2 * (width / 2) * (height / 2);
    try {
      while (running) {
        Frame frame = video.grabImage();
        long utcUs = clock.utcMicros();
        if (frame == null || frame.image == null) {
          throw new FrameGrabber.Exception("x11grab ended");
        }
        ByteBuffer data = ((ByteBuffer) frame.image[0]).duplicate();
        // JavaCV packs I420 contiguously (align 1): Y, U, V with strides w, w/2, w/2.
        if (frame.imageStride != width || data.capacity() < size) {
          throw new FrameGrabber.Exception("unexpected I420 layout: stride " + frame.imageStride
              + ", " + data.capacity() + " bytes for " + width + "x" + height);
        }
        data.clear().limit(size);
        listener.onVideo(new PageVideoFrame(utcUs, width, height, strides, data));
        videoFrames.incrementAndGet();
        videoCpuNanos.set(threads.getCurrentThreadCpuTime());
      }
    } catch (Exception e) {
      fail("video", e);
    } finally {
      closeQuietly(video);
    }
  }

  private void audioLoop() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long anchorUs = Long.MIN_VALUE;
    long samplesSinceAnchor = 0;
    int dropped = 0;
    int slipping = 0;
    try {
      while (running) {
        long before = System.nanoTime();
        Frame frame = audio.grabSamples();
        long waitedUs = (System.nanoTime() - before) / 1_000;
        long now = clock.utcMicros();
        if (frame == null || frame.samples == null) {
          throw new FrameGrabber.Exception("pulse input ended");
        }
        ShortBuffer samples = ((ShortBuffer) frame.samples[0]).duplicate();
        int frames = samples.remaining() / SoundServer.CHANNELS;
        long durationUs = frames * 1_000_000L / SoundServer.SAMPLE_RATE;
        // A read that had to wait returned sound that had just played: it ends "now".
        boolean fresh = waitedUs >= durationUs / 2;
        if (anchorUs == Long.MIN_VALUE) {
          if (!fresh && dropped++ < MAX_BACKLOG_CHUNKS) {
            continue; // queued while the grabbers opened; played at an unknown time before
          }
          anchorUs = now - durationUs;
        }
        long utcUs = anchorUs + samplesSinceAnchor * 1_000_000L / SoundServer.SAMPLE_RATE;
        if (fresh) {
          long slipUs = now - (utcUs + durationUs);
          slipping = Math.abs(slipUs) > MAX_AUDIO_SLIP_US ? slipping + 1 : 0;
          if (slipping >= SLIP_CHUNKS) {
            LOG.warn("page sound clock slipped {} ms (sound lost?); re-anchoring", slipUs / 1000);
            anchorUs = now - durationUs;
            samplesSinceAnchor = 0;
            utcUs = anchorUs;
            slipping = 0;
          }
        }
        listener.onAudio(new PageAudioChunk(utcUs, SoundServer.SAMPLE_RATE, SoundServer.CHANNELS, samples));
        samplesSinceAnchor += frames;
        audioSamples.addAndGet(frames);
        audioCpuNanos.set(threads.getCurrentThreadCpuTime());
      }
    } catch (Exception e) {
      fail("audio", e);
    } finally {
      closeQuietly(audio);
    }
  }

  private void fail(String what, Exception e) {
    if (running) {
      LOG.warn("page {} capture stopped: {}", what, e.getMessage());
      listener.onError(e);
    }
  }

  public boolean isRunning() {
    return running && videoThread.isAlive() && audioThread.isAlive();
  }

  public long videoFrames() {
    return videoFrames.get();
  }

  /** Samples per channel delivered so far. */
  public long audioSamples() {
    return audioSamples.get();
  }

  /** CPU time the two grabbing threads have used (grab, conversion, listener calls). */
  public Duration cpuTime() {
    return Duration.ofNanos(videoCpuNanos.get() + audioCpuNanos.get());
  }

  /** Stops both threads (each within one frame or fragment) and frees the grabbers. */
  @Override
  public void close() {
    running = false;
    join(videoThread);
    join(audioThread);
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
      if (thread.isAlive()) {
        LOG.error("{} did not stop", thread.getName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (Exception e) {
      LOG.debug("closing a grabber: {}", e.getMessage());
    }
  }
}
