package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Turns pictures upright when the source says how they are to be shown: a phone stores portrait
 * video sideways with a display matrix, which every player honours and the decoder does not. The
 * turn is FFmpeg's transpose (no Java per-pixel work) into the filter's own frame, which stays
 * valid until the next picture; the filter's native memory goes with {@link #close}.
 */
final class PictureRotation implements AutoCloseable {

  private final FFmpegFrameFilter filter;

  private PictureRotation(FFmpegFrameFilter filter) {
    this.filter = filter;
  }

  /**
   * Clockwise degrees to turn a picture by (0, 90, 180 or 270), from the grabber's display rotation
   * (counter-clockwise, as FFmpeg's display matrix gives it); odd angles are left alone.
   */
  static int clockwiseDegrees(double displayRotation) {
    long turn = Math.round(-displayRotation);
    if (turn % 90 != 0) {
      return 0;
    }
    return (int) Math.floorMod(turn, 360);
  }

  /** Whether the upright picture is the decoded one on its side (width and height swap). */
  static boolean swapsSides(int degrees) {
    return degrees == 90 || degrees == 270;
  }

  /** The filter for pictures of the decoded size, or null when there is nothing to turn. */
  static PictureRotation open(int degrees, int width, int height, double frameRate) throws FrameGrabber.Exception {
    String graph = switch (degrees) {
      case 90 -> "transpose=clock";
      case 180 -> "hflip,vflip";
      case 270 -> "transpose=cclock";
      default -> null;
    };
    if (graph == null) {
      return null;
    }
    FFmpegFrameFilter filter = new FFmpegFrameFilter(graph, width, height);
    filter.setPixelFormat(AV_PIX_FMT_YUV420P);
    filter.setFrameRate(frameRate > 0 ? frameRate : 30);
    try {
      filter.start();
    } catch (FrameFilter.Exception | RuntimeException e) {
      new PictureRotation(filter).close();
      throw new FrameGrabber.Exception("cannot turn the pictures upright: " + e.getMessage(), e);
    }
    return new PictureRotation(filter);
  }

  /** The picture upright: the filter's frame, valid until the next call. */
  Frame upright(Frame picture) throws FrameGrabber.Exception {
    try {
      filter.push(picture);
      Frame turned = filter.pull();
      return turned != null ? turned : picture;
    } catch (FrameFilter.Exception e) {
      throw new FrameGrabber.Exception("cannot turn a picture upright: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      filter.close();
    } catch (FrameFilter.Exception e) {
      // Releasing native memory failed: nothing a caller could do about it, and the session is over.
    }
  }
}
