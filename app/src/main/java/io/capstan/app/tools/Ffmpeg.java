package io.capstan.app.tools;

import io.capstan.runtime.media.Natives;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the bundled ffmpeg executable, showing its progress on one line. */
final class Ffmpeg {

  private Ffmpeg() {
  }

  static void run(List<String> args, PrintWriter out) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Natives.ffmpegExecutable(), "-hide_banner", "-nostdin", "-y",
        "-v", "error", "-progress", "pipe:1", "-nostats"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
    StringBuilder errors = new StringBuilder();
    Thread err = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream()))) {
        r.lines().forEach(l -> errors.append(l).append('\n'));
      } catch (Exception e) {
        // the exit code says it
      }
    });
    err.start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("out_time=")) {
          out.printf("\rwriting: %s", line.substring("out_time=".length()));
          out.flush();
        }
      }
    }
    int code = p.waitFor();
    err.join();
    out.println();
    if (code != 0) {
      throw new IllegalStateException("ffmpeg failed (exit " + code + "): " + errors.toString().strip());
    }
  }
}
