package io.capstan.gateway.whip;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_RAWVIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.capstan.runtime.media.Natives;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import io.capstan.webrtc.MediaSink;
import io.capstan.webrtc.Picture;
import io.capstan.webrtc.Size;
import io.capstan.webrtc.feed.Feed;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher's decoded media for an ingest instance in another process: raw I420 pictures and
 * s16 PCM in NUT, streamed over HTTP. Nothing is encoded (the media was decoded once, here); the
 * reader opens it with FFmpeg like any live HTTP stream. The picture keeps the size of the first
 * one (NUT's raw video has one size); later sizes are scaled to it.
 *
 * <p>JavaCV opens grabbers and recorders under one process-wide lock: a grabber of this process
 * waiting for a slow source delays a relay's start by up to that source's I/O timeout (and a
 * grabber of this process reading a relay of this process would wait for itself, which is why
 * ingest reads its own process' publishers in place).
 */
final class MediaRelay {

  private static final Logger log = LoggerFactory.getLogger(MediaRelay.class);
  private static final int SAMPLE_RATE = 48_000;
  private static final int CHANNELS = 2;
  /** About 2 s of 30 fps pictures and 10 ms audio blocks: a reader further behind loses media, not the publisher. */
  private static final int QUEUE = 256;

  private MediaRelay() {
  }

  /** Streams the feed to {@code out} until it ends or the reader goes away. */
  static void stream(Feed feed, String name, OutputStream out) throws Exception {
    Natives.require();
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    Size[] size = new Size[1];
    MediaSink sink = new MediaSink() {
      @Override
      public void video(Picture picture, long arrivalUs) {
        Size target;
        synchronized (size) {
          if (size[0] == null) {
            size[0] = new Size(picture.width() & ~1, picture.height() & ~1);
          }
          target = size[0];
        }
        VideoFrame frame = picture.width() == target.width() && picture.height() == target.height()
            ? picture.toVideoFrame(null) : picture.toVideoFrame(target);
        queue.offer(new Timed(frame, arrivalUs));
      }

      @Override
      public void audio(AudioFrame frame, long arrivalUs) {
        queue.offer(new Timed(frame, arrivalUs));
      }
    };
    try (Feed.Subscription ignored = feed.subscribe(sink)) {
      Timed first = firstFrame(feed, queue);
      if (first == null) {
        return;
      }
      int width = feed.video() && size[0] != null ? size[0].width() : 0;
      int height = feed.video() && size[0] != null ? size[0].height() : 0;
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, width, height, feed.audio() ? CHANNELS : 0)) {
        recorder.setFormat("nut");
        if (width > 0) {
          recorder.setVideoCodec(AV_CODEC_ID_RAWVIDEO);
          recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
          recorder.setFrameRate(1000); // a millisecond time base: pictures keep the times they arrived at
        }
        if (feed.audio()) {
          recorder.setAudioCodec(AV_CODEC_ID_PCM_S16LE);
          recorder.setSampleRate(SAMPLE_RATE);
        }
        recorder.start();
        log.info("WHIP: relaying {} to another ingest instance", name);
        long base = first.arrivalUs;
        Timed item = first;
        while (item != null || !feed.ended()) {
          if (item != null) {
            write(recorder, item, base, width, height);
          }
          Object next = queue.poll(500, TimeUnit.MILLISECONDS);
          item = (Timed) next;
        }
      }
    }
  }

  /** Waits for the first picture when the publisher sends video (its size is the stream's), else the first sound. */
  private static Timed firstFrame(Feed feed, BlockingQueue<Object> queue) throws InterruptedException {
    while (!feed.ended()) {
      Timed t = (Timed) queue.poll(500, TimeUnit.MILLISECONDS);
      if (t != null && (!feed.video() || t.frame instanceof VideoFrame)) {
        return t;
      }
    }
    return null;
  }

  private static void write(FFmpegFrameRecorder recorder, Timed item, long baseUs, int width, int height)
      throws FFmpegFrameRecorder.Exception {
    long ts = Math.max(0, item.arrivalUs - baseUs);
    if (item.frame instanceof VideoFrame v) {
      if (width == 0 || v.getWidth() != width || v.getHeight() != height) {
        return;
      }
      if (ts > recorder.getTimestamp()) {
        recorder.setTimestamp(ts);
      }
      ByteBuffer data = v.getData().duplicate();
      recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, v.getStrides().get(0), AV_PIX_FMT_YUV420P, data);
    } else if (item.frame instanceof AudioFrame a && recorder.getAudioChannels() > 0) {
      // JavaCV reads an array-backed (or direct) buffer; a view of a heap ByteBuffer is neither.
      java.nio.ShortBuffer view = a.getSamples().duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      short[] pcm = new short[view.remaining()];
      view.get(pcm);
      recorder.recordSamples(a.getSampleRate(), a.getChannels(), java.nio.ShortBuffer.wrap(pcm));
    }
  }

  private record Timed(Object frame, long arrivalUs) {
  }
}
