package io.capstan.app.tools;

import io.capstan.runtime.media.Natives;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.recording.LocalCopy;
import io.capstan.storage.recording.RecordingFiles;
import java.io.PrintWriter;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One uid's audio and video playlists to one MP4 whose timeline is the uid's: from its first media
 * to its last, with black pictures and silence where it was away (its slices have a gap), not a jump.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Merge one uid's audio and video playlists of an individual recording into one MP4; where the "
        + "uid was away the picture is black and the sound silent.")
public final class MergeCommand implements Callable<Integer> {

  /** A gap in the pictures longer than this is filled with black frames. */
  private static final double GAP_FRAMES = 2.5;

  @Option(names = "--sid", required = true, description = "the recording's sid")
  String sid;
  @Option(names = "--uid", required = true, description = "the uid whose files to merge")
  String uid;
  @Option(names = "--out", required = true, description = "the MP4 file to write")
  Path out;
  @Mixin
  StoreOptions where;
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    try (ObjectStore store = where.open(); RecordingCopy copy = new RecordingCopy(store, where, sid)) {
      RecordingFiles.UidPlaylists playlists = copy.files.uid(uid).orElseThrow(() -> new IllegalArgumentException(
          "recording " + sid + " has no files of uid " + uid + " (uids: " + copy.files.uids().keySet() + ")"));
      List<String> names = new ArrayList<>();
      String video = playlists.video() != null ? playlists.video() : playlists.av();
      String audio = playlists.audio() != null ? playlists.audio() : playlists.av();
      if (video != null) {
        names.add(video);
      }
      if (audio != null && !audio.equals(video)) {
        names.add(audio);
      }
      List<LocalCopy> local = copy.copy(store, where, names, console);
      Path videoFile = video == null ? null : local.get(0).playlist();
      Path audioFile = audio == null ? null : audio.equals(video) ? videoFile : local.get(local.size() - 1).playlist();
      merge(videoFile, audioFile, console);
      console.println("wrote " + out);
      return 0;
    } catch (RecordingCopy.MissingFiles e) {
      spec.commandLine().getErr().println("capstan merge: " + e.getMessage());
      return RecordingCopy.MISSING;
    }
  }

  private void merge(Path videoFile, Path audioFile, PrintWriter console) throws Exception {
    Natives.require();
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    try (FFmpegFrameGrabber v = videoFile == null ? null : open(videoFile);
         FFmpegFrameGrabber a = audioFile == null ? null : audioFile.equals(videoFile) ? null : open(audioFile)) {
      FFmpegFrameGrabber videoIn = v;
      FFmpegFrameGrabber audioIn = a != null ? a : (audioFile != null ? v : null);
      int width = videoIn != null ? videoIn.getImageWidth() : 0;
      int height = videoIn != null ? videoIn.getImageHeight() : 0;
      double fps = videoIn != null && videoIn.getFrameRate() > 0 && videoIn.getFrameRate() <= 60
          ? videoIn.getFrameRate() : 15;
      int channels = audioIn != null ? Math.max(1, audioIn.getAudioChannels()) : 0;
      int rate = audioIn != null ? audioIn.getSampleRate() : 0;
      long start = Long.MAX_VALUE;
      for (FFmpegFrameGrabber g : new FFmpegFrameGrabber[] {videoIn, audioIn}) {
        if (g != null) {
          start = Math.min(start, Math.max(0, g.getFormatContext().start_time()));
        }
      }
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toAbsolutePath().toString(), width, height,
          channels)) {
        recorder.setFormat("mp4");
        if (videoIn != null) {
          recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
          recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
          recorder.setFrameRate(fps);
          recorder.setVideoOption("preset", "veryfast");
          recorder.setVideoOption("crf", "23");
        }
        if (audioIn != null) {
          recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
          recorder.setSampleRate(rate);
          recorder.setAudioBitrate(128_000);
        }
        recorder.start();
        new Writer(recorder, start, fps, rate, channels, width, height, console).run(videoIn,
            audioIn == videoIn ? null : audioIn);
        recorder.stop();
      }
    }
  }

  private static FFmpegFrameGrabber open(Path file) throws FrameGrabber.Exception {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    g.setSampleMode(FrameGrabber.SampleMode.SHORT);
    g.start();
    return g;
  }

  /** Writes frames in time order, black frames and silence where the uid's media has a gap. */
  private static final class Writer {
    private final FFmpegFrameRecorder recorder;
    private final long start;
    private final double fps;
    private final int rate;
    private final int channels;
    private final Frame black;
    private final PrintWriter console;
    private long nextFrame;
    private long samplesWritten;
    private long lastReportSecond = -1;

    Writer(FFmpegFrameRecorder recorder, long start, double fps, int rate, int channels, int width, int height,
           PrintWriter console) {
      this.recorder = recorder;
      this.start = start;
      this.fps = fps;
      this.rate = rate;
      this.channels = channels;
      // A zeroed BGR picture is black; made once (its native buffer is not zeroed for us), swscale makes it yuv420p.
      this.black = width > 0 ? new Frame(width, height, Frame.DEPTH_UBYTE, 3) : null;
      if (black != null) {
        java.nio.ByteBuffer pixels = ((java.nio.ByteBuffer) black.image[0]).duplicate();
        pixels.clear();
        pixels.put(new byte[pixels.remaining()]);
      }
      this.console = console;
    }

    void run(FFmpegFrameGrabber video, FFmpegFrameGrabber audio) throws Exception {
      // Interleaved by time: take from whichever input is behind; a grabbed frame is written at once
      // (the grabber reuses its buffers).
      long videoAt = 0;
      long audioAt = 0;
      boolean videoDone = video == null;
      boolean audioDone = audio == null;
      while (!videoDone || !audioDone) {
        boolean takeVideo = !videoDone && (audioDone || videoAt <= audioAt);
        FFmpegFrameGrabber g = takeVideo ? video : audio;
        // One av playlist (no separate audio): its grabber gives both kinds.
        Frame f = audio == null ? g.grabFrame(true, true, true, false, false)
            : g.grabFrame(!takeVideo, takeVideo, true, false, false);
        if (f == null) {
          if (takeVideo) {
            videoDone = true;
          } else {
            audioDone = true;
          }
          continue;
        }
        long t = f.timestamp - start;
        if (f.image != null) {
          videoAt = t;
          picture(f, t);
        } else if (f.samples != null) {
          audioAt = t;
          sound(f, t);
        }
        long second = Math.max(videoAt, audioAt) / 1_000_000;
        if (second != lastReportSecond) {
          lastReportSecond = second;
          console.printf("\rmerging: %d s", second);
          console.flush();
        }
      }
      console.println();
    }

    private void picture(Frame f, long t) throws Exception {
      long index = Math.round(t * fps / 1e6);
      if (index < nextFrame) {
        return;
      }
      if (index - nextFrame > GAP_FRAMES) {
        for (long i = nextFrame; i < index; i++) {
          recorder.setFrameNumber((int) i);
          recorder.record(black);
        }
      }
      recorder.setFrameNumber((int) index);
      recorder.record(f);
      nextFrame = index + 1;
    }

    private void sound(Frame f, long t) throws Exception {
      long at = Math.round(t * (double) rate / 1e6);
      long gap = at - samplesWritten;
      if (gap > rate / 20) {
        // Silence where the uid was away, so its voice stays where it was in time.
        short[] silence = new short[(int) Math.min(gap, rate * 10L) * channels];
        while (gap > 0) {
          int n = (int) Math.min(gap, rate * 10L);
          recorder.recordSamples(rate, channels, ShortBuffer.wrap(silence, 0, n * channels));
          gap -= n;
          samplesWritten += n;
        }
      }
      ShortBuffer s = (ShortBuffer) f.samples[0];
      samplesWritten += s.remaining() / Math.max(1, f.audioChannels);
      recorder.recordSamples(f.sampleRate, f.audioChannels, f.samples);
    }
  }
}
