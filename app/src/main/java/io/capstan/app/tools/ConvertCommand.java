package io.capstan.app.tools;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.recording.LocalCopy;
import io.capstan.storage.recording.RecordingFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** An HLS recording (the composite playlist, or one uid's av playlist) to one MP4, without re-encoding. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Turn an HLS recording into one MP4 file (no re-encoding). The composite playlist, or with --uid "
        + "that uid's audio-and-video playlist (separate audio and video: use 'capstan merge').")
public final class ConvertCommand implements Callable<Integer> {

  @Option(names = "--sid", required = true, description = "the recording's sid")
  String sid;
  @Option(names = "--uid", description = "an individual recording's uid (streamMode standard: one av playlist)")
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
      String playlist = choose(copy.files);
      List<LocalCopy> local = copy.copy(store, where, List.of(playlist), console);
      Ffmpeg.run(List.of("-i", local.get(0).playlist().toString(), "-c", "copy", "-movflags", "+faststart",
          out.toAbsolutePath().toString()), console);
      console.println("wrote " + out);
      return 0;
    } catch (RecordingCopy.MissingFiles e) {
      spec.commandLine().getErr().println("capstan convert: " + e.getMessage());
      return RecordingCopy.MISSING;
    }
  }

  private String choose(RecordingFiles files) {
    if (uid != null) {
      RecordingFiles.UidPlaylists p = files.uid(uid).orElseThrow(() -> new IllegalArgumentException(
          "recording " + sid + " has no files of uid " + uid + " (uids: " + files.uids().keySet() + ")"));
      if (p.av() == null) {
        throw new IllegalArgumentException("uid " + uid + " has separate audio and video playlists: use 'capstan merge'");
      }
      return p.av();
    }
    if (files.composite() == null) {
      throw new IllegalArgumentException("recording " + sid + " is an individual recording (uids "
          + files.uids().keySet() + "): give --uid, or use 'capstan merge' / 'capstan mix-audio'");
    }
    return files.composite();
  }
}
