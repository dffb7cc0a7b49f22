package io.capstan.app.tools;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.recording.LocalCopy;
import io.capstan.storage.recording.RecordingFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Every uid's audio of an individual recording mixed into one file, each uid at its place in time. */
@Command(name = "mix-audio", mixinStandardHelpOptions = true,
    description = "Mix every uid's audio of an individual recording into one mp3, m4a or aac file (by --out's "
        + "extension); each uid at its own time, silence where nobody speaks.")
public final class MixAudioCommand implements Callable<Integer> {

  @Option(names = "--sid", required = true, description = "the recording's sid")
  String sid;
  @Option(names = "--out", required = true, description = "the file to write: .mp3, .m4a or .aac")
  Path out;
  @Option(names = "--sample-rate", defaultValue = "48000", description = "48000, 32000 or 16000 (default 48000)")
  int sampleRate;
  @Option(names = "--channels", defaultValue = "2", description = "1 or 2 (default 2)")
  int channels;
  @Option(names = "--bitrate", defaultValue = "48000", description = "bits per second (default 48000)")
  int bitrate;
  @Mixin
  StoreOptions where;
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    String codec = name.endsWith(".mp3") ? "libmp3lame" : name.endsWith(".m4a") || name.endsWith(".aac") ? "aac" : null;
    if (codec == null) {
      throw new IllegalArgumentException("--out must end with .mp3, .m4a or .aac");
    }
    PrintWriter console = spec.commandLine().getOut();
    try (ObjectStore store = where.open(); RecordingCopy copy = new RecordingCopy(store, where, sid)) {
      List<String> playlists = new ArrayList<>();
      for (RecordingFiles.UidPlaylists uid : copy.files.uids().values()) {
        if (uid.audio() != null) {
          playlists.add(uid.audio());
        } else if (uid.av() != null) {
          playlists.add(uid.av());
        }
      }
      if (playlists.isEmpty()) {
        throw new IllegalArgumentException("recording " + sid + " has no uid with audio");
      }
      List<LocalCopy> local = copy.copy(store, where, playlists, console);
      // Every uid keeps its place in time: the earliest slice (by its UTC start) starts the file, a
      // uid's gaps are filled with silence (aresample async) and it is delayed by its own first slice.
      long first = local.stream().mapToLong(c -> c.local().startUtcMs()).min().orElse(0);
      List<String> args = new ArrayList<>();
      StringBuilder graph = new StringBuilder();
      for (int i = 0; i < local.size(); i++) {
        args.addAll(List.of("-i", local.get(i).playlist().toString()));
        long delayMs = Math.max(0, local.get(i).local().startUtcMs() - first);
        graph.append(String.format(Locale.ROOT,
            "[%d:a]asetpts=PTS-STARTPTS,aresample=async=1:first_pts=0,adelay=%d:all=1[a%d];", i, delayMs, i));
      }
      for (int i = 0; i < local.size(); i++) {
        graph.append("[a").append(i).append(']');
      }
      graph.append("amix=inputs=").append(local.size()).append(":duration=longest:normalize=0[mix]");
      args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[mix]", "-c:a", codec,
          "-ar", String.valueOf(sampleRate), "-ac", String.valueOf(channels), "-b:a", String.valueOf(bitrate),
          out.toAbsolutePath().toString()));
      console.println("mixing " + local.size() + " uids");
      Ffmpeg.run(args, console);
      console.println("wrote " + out);
      return 0;
    } catch (RecordingCopy.MissingFiles e) {
      spec.commandLine().getErr().println("capstan mix-audio: " + e.getMessage());
      return RecordingCopy.MISSING;
    }
  }
}
