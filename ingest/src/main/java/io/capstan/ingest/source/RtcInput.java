package io.capstan.ingest.source;

import io.capstan.runtime.source.SourceUrl;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import io.capstan.webrtc.MediaSink;
import io.capstan.webrtc.Picture;
import io.capstan.webrtc.ReceiveOptions;
import io.capstan.webrtc.RtcException;
import io.capstan.webrtc.RtcSettings;
import io.capstan.webrtc.SessionListener;
import io.capstan.webrtc.Size;
import io.capstan.webrtc.WhepClient;
import io.capstan.webrtc.WhepSession;
import io.capstan.webrtc.feed.Feed;
import io.capstan.webrtc.feed.LocalFeeds;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A WebRTC participant's media as a reader takes it: a WHIP publisher received by this process'
 * gateway (read in place: decoded once for every recording here), or a WHEP source played here.
 * libwebrtc decodes on its own threads; each picture is copied once, already fitted to the job's
 * canvas, into a queue the reader drains. A reader that falls behind loses pictures, never stalls
 * the decoder.
 */
final class RtcInput implements AutoCloseable {

  /** Decoded media on the participant's clock (System.nanoTime()/1000 at arrival). */
  record Item(VideoFrame video, AudioFrame audio, long arrivalUs) {
  }

  /** About 3 s of 30 fps pictures and 10 ms sound blocks. */
  private static final int QUEUE = 400;

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final boolean audio;
  private final boolean video;
  private volatile String failure;
  private AutoCloseable connection;
  private Feed feed;

  private RtcInput(boolean audio, boolean video) {
    this.audio = audio;
    this.video = video;
  }

  /** The local feed a {@code whip+} URL names, when this process received it. */
  static Optional<Feed> localFeed(SourceUrl url) {
    return url.whip() ? LocalFeeds.find(url.whipSession()) : Optional.empty();
  }

  /** Subscribes to a WHIP publisher of this process. */
  static RtcInput of(Feed feed, StreamSpec stream, int maxPixels) {
    RtcInput input = new RtcInput(stream.audio() && feed.audio(), stream.video() && feed.video());
    input.feed = feed;
    input.connection = feed.subscribe(input.sink(stream.canvas(), maxPixels));
    return input;
  }

  /** Plays a WHEP endpoint. */
  static RtcInput whep(StreamSpec stream, RtcSettings settings, Duration timeout, int maxPixels)
      throws FrameGrabber.Exception {
    RtcInput input = new RtcInput(stream.audio(), stream.video());
    SessionListener listener = new SessionListener() {
      @Override
      public void connected() {
      }

      @Override
      public void failed(String reason) {
        input.failure = reason;
      }
    };
    try {
      WhepSession session = WhepClient.open(URI.create(stream.url().input()), null, settings,
          new ReceiveOptions(stream.audio(), stream.video()), input.sink(stream.canvas(), maxPixels), listener, timeout);
      input.connection = session;
      return input;
    } catch (RtcException | IOException | IllegalArgumentException e) {
      String why = e.getMessage() != null ? e.getMessage() : e instanceof java.net.ConnectException
          ? "the WHEP server refused the connection" : e.getClass().getSimpleName();
      throw new FrameGrabber.Exception("WHEP: " + why);
    }
  }

  boolean audio() {
    return audio;
  }

  boolean video() {
    return video;
  }

  /** The next media, or null after {@code ms} without any. */
  Item poll(long ms) throws InterruptedException {
    return queue.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** Why the session is over (ICE failure, the peer's end), or null while it lasts. */
  String failure() {
    if (failure != null) {
      return failure;
    }
    return feed != null && feed.ended() ? "the publisher left" : null;
  }

  /** Pictures and sound blocks lost because the reader was behind. */
  long dropped() {
    return dropped.get();
  }

  private MediaSink sink(CanvasFit.Size canvas, int maxPixels) {
    return new MediaSink() {
      @Override
      public void video(Picture picture, long arrivalUs) {
        if (!video) {
          return;
        }
        CanvasFit.Size fit = CanvasFit.fit(picture.width(), picture.height(), canvas, maxPixels);
        Size max = fit.width() == picture.width() && fit.height() == picture.height() ? null
            : new Size(fit.width(), fit.height());
        if (queue.remainingCapacity() == 0) {
          dropped.incrementAndGet(); // behind: not worth a copy
          return;
        }
        if (!queue.offer(new Item(picture.toVideoFrame(max), null, arrivalUs))) {
          dropped.incrementAndGet();
        }
      }

      @Override
      public void audio(AudioFrame frame, long arrivalUs) {
        if (audio && !queue.offer(new Item(null, frame, arrivalUs))) {
          dropped.incrementAndGet();
        }
      }
    };
  }

  @Override
  public void close() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (Exception ignored) {
      // the session is over either way; a failed DELETE leaves the server to time it out
    }
  }
}
