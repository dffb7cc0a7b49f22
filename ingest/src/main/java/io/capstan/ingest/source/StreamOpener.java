package io.capstan.ingest.source;

import io.capstan.runtime.source.SourceUrl;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import io.capstan.runtime.media.Natives;
import io.capstan.webrtc.RtcSettings;
import java.time.Duration;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Opens a stream with FFmpeg, configured so that what comes out is already what capstan.frames
 * carries: yuv420p no larger than the canvas (even sizes), s16 interleaved 48 kHz with at most two
 * channels. Scaling and resampling happen in swscale/swresample, never in Java loops.
 */
public final class StreamOpener implements AutoCloseable {

  public static final int SAMPLE_RATE = 48_000;
  public static final int MAX_CHANNELS = 2;

  /** Pictures above 1080p are scaled down before they are published: raw frames through Kafka cost per byte. */
  public static final int DEFAULT_MAX_PIXELS = 1920 * 1080;

  private final Duration ioTimeout;
  private final int maxPixels;
  private final SourceRoutes routes = new SourceRoutes();
  private final RtcSettings rtc;

  public StreamOpener(Duration ioTimeout) {
    this(ioTimeout, DEFAULT_MAX_PIXELS, RtcSettings.defaults());
  }

  /**
   * {@code maxPixels}: decoded pictures larger than this are scaled down to it, keeping their shape;
   * {@code rtc}: how WHEP sources are played.
   */
  public StreamOpener(Duration ioTimeout, int maxPixels, RtcSettings rtc) {
    this.ioTimeout = ioTimeout;
    this.maxPixels = maxPixels;
    this.rtc = rtc;
  }

  /** How long a source may send nothing before it is taken for lost. */
  public Duration ioTimeout() {
    return ioTimeout;
  }

  public int maxPixels() {
    return maxPixels;
  }

  RtcSettings rtcSettings() {
    return rtc;
  }

  /** A started grabber; the caller closes it. */
  public FFmpegFrameGrabber open(StreamSpec stream) throws FrameGrabber.Exception {
    Natives.require();
    SourceUrl url = stream.url();
    SourceRoutes.Route route = routes.of(stream);
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(route.input());
    route.options().forEach(grabber::setOption);
    if (url.format() != null) {
      grabber.setFormat(url.format());
    }
    String timeoutUs = String.valueOf(ioTimeout.toNanos() / 1000);
    if (url.scheme().startsWith("rtsp")) {
      // UDP through NATs and firewalls loses packets or gets nothing at all; TCP interleaving works everywhere.
      grabber.setOption("rtsp_transport", "tcp");
      grabber.setOption("timeout", timeoutUs);
    } else if (url.kind() == SourceUrl.Kind.LIVE) {
      // Without a timeout a silent peer blocks the reader forever: no reconnect, no stop.
      grabber.setOption("rw_timeout", timeoutUs);
    }
    stream.options().forEach(grabber::setOption);
    grabber.setPixelFormat(AV_PIX_FMT_YUV420P);
    grabber.setSampleMode(FrameGrabber.SampleMode.SHORT);
    grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
    grabber.setSampleRate(SAMPLE_RATE);
    try {
      grabber.start();
      // The output size and channel count depend on the source, known only once it is open; the
      // grabber reads them at every frame, so setting them now takes effect from the first one.
      if (grabber.hasVideo()) {
        // The canvas fits the upright picture; the grabber scales the decoded one, which a
        // display rotation of 90 or 270 degrees has on its side.
        boolean sideways = PictureRotation.swapsSides(PictureRotation.clockwiseDegrees(grabber.getDisplayRotation()));
        int width = sideways ? grabber.getImageHeight() : grabber.getImageWidth();
        int height = sideways ? grabber.getImageWidth() : grabber.getImageHeight();
        CanvasFit.Size size = CanvasFit.fit(width, height, stream.canvas(), maxPixels);
        grabber.setImageWidth(sideways ? size.height() : size.width());
        grabber.setImageHeight(sideways ? size.width() : size.height());
      }
      if (grabber.hasAudio()) {
        grabber.setAudioChannels(Math.min(MAX_CHANNELS, Math.max(1, grabber.getAudioChannels())));
      }
      return grabber;
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(grabber);
      throw e;
    }
  }

  /** The egress proxy a browser recording a caller's page uses; empty when the rule allows every address. */
  public java.util.Optional<String> egressProxy(io.capstan.runtime.source.SourcePolicy policy) {
    return routes.proxyUrl(policy);
  }

  /** Stops the egress proxy, once no source is open any more. */
  @Override
  public void close() {
    routes.close();
  }

  static void closeQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception | RuntimeException ignored) {
      // already failing: the first error is the one worth reporting
    }
  }
}
