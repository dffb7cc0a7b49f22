package io.capstan.mixer.compositor;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_get_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse2;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_plane;

import io.capstan.runtime.media.FFmpegException;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * One FFmpeg filter graph {@code [top][bottom] blend=all_mode=normal:all_opacity=alpha} for one
 * region size and alpha: top * alpha + bottom * (1 - alpha) on every plane, in native code. The
 * inputs are handed over as views (AVFrames without buffers) of the scratch picture and of the
 * canvas rectangle, so buffersrc copies them: the graph's framesync keeps its last input frames,
 * and must not keep the canvas. Both inputs get the same pts, so the graph answers at once.
 */
final class BlendGraph implements AutoCloseable {

  private AVFilterGraph graph;
  private final AVFilterContext top;
  private final AVFilterContext bottom;
  private final AVFilterContext sink;
  private AVFrame topView = av_frame_alloc();
  private AVFrame bottomView = av_frame_alloc();
  private AVFrame out = av_frame_alloc();
  private final int width;
  private final int height;
  private long pts;

  BlendGraph(int width, int height, double alpha) {
    this.width = width;
    this.height = height;
    graph = avfilter_graph_alloc();
    if (graph == null) {
      throw new FFmpegException("avfilter_graph_alloc returned null");
    }
    // Regions are small and many jobs share the cores: no slice threads of our own.
    graph.nb_threads(1);
    String source = String.format(Locale.ROOT,
        "video_size=%dx%d:pix_fmt=%d:time_base=1/90000:pixel_aspect=1/1", width, height, AV_PIX_FMT_YUV420P);
    String description = String.format(Locale.ROOT,
        "buffer@top=%s [t]; buffer@bottom=%s [b]; [t][b] blend=all_mode=normal:all_opacity=%.4f [o]; [o] buffersink@out",
        source, source, alpha);
    AVFilterInOut inputs = new AVFilterInOut(null);
    AVFilterInOut outputs = new AVFilterInOut(null);
    try {
      check("avfilter_graph_parse2", avfilter_graph_parse2(graph, description, inputs, outputs));
      check("avfilter_graph_config", avfilter_graph_config(graph, null));
    } finally {
      avfilter_inout_free(inputs);
      avfilter_inout_free(outputs);
    }
    top = avfilter_graph_get_filter(graph, "buffer@top");
    bottom = avfilter_graph_get_filter(graph, "buffer@bottom");
    sink = avfilter_graph_get_filter(graph, "buffersink@out");
    if (top == null || bottom == null || sink == null) {
      close();
      throw new FFmpegException("the blend graph lacks its named sources or sink");
    }
  }

  private void check(String call, int ret) {
    if (ret < 0) {
      close();
      throw new FFmpegException(call + " (blend " + width + "x" + height + ")", ret);
    }
  }

  /** Blends {@code picture} (the region's size) over the canvas at (x, y), in place. */
  void blend(Canvas picture, Canvas canvas, int x, int y) {
    view(topView, picture, 0, 0);
    view(bottomView, canvas, x, y);
    FFmpegException.check("av_buffersrc_add_frame(top)", av_buffersrc_add_frame_flags(top, topView,
        AV_BUFFERSRC_FLAG_KEEP_REF));
    FFmpegException.check("av_buffersrc_add_frame(bottom)", av_buffersrc_add_frame_flags(bottom, bottomView,
        AV_BUFFERSRC_FLAG_KEEP_REF));
    pts++;
    FFmpegException.check("av_buffersink_get_frame(blend)", av_buffersink_get_frame(sink, out));
    try {
      for (int plane = 0; plane < 3; plane++) {
        int w = plane == 0 ? width : width / 2;
        int h = plane == 0 ? height : height / 2;
        av_image_copy_plane(pointer(canvas, plane, x, y), canvas.linesize(plane), out.data(plane),
            out.linesize(plane), w, h);
      }
    } finally {
      av_frame_unref(out);
    }
  }

  /** Points {@code frame} at the {@code width x height} rectangle of {@code source} at (x, y), without copying. */
  private void view(AVFrame frame, Canvas source, int x, int y) {
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    frame.pts(pts);
    for (int plane = 0; plane < 3; plane++) {
      frame.data(plane, pointer(source, plane, x, y));
      frame.linesize(plane, source.linesize(plane));
    }
  }

  private static BytePointer pointer(Canvas canvas, int plane, int x, int y) {
    BytePointer base = canvas.frame().data(plane);
    return base.getPointer(canvas.address(plane, x, y) - base.address());
  }

  @Override
  public void close() {
    if (graph != null) {
      avfilter_graph_free(graph);
      graph = null;
    }
    for (AVFrame f : new AVFrame[] {topView, bottomView}) {
      if (f != null) {
        // views own no buffers: clear the borrowed pointers before freeing the struct
        for (int plane = 0; plane < 3; plane++) {
          f.data(plane, null);
        }
        av_frame_free(f);
      }
    }
    topView = null;
    bottomView = null;
    if (out != null) {
      av_frame_free(out);
      out = null;
    }
  }
}
