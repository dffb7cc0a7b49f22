package io.capstan.ingest;

import io.capstan.runtime.media.Natives;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A live stream on loopback, served by the ffmpeg executable bundled with JavaCV: testsrc2 and a
 * 440 Hz tone at native rate (-re), H.264/AAC, as an SRT listener (MPEG-TS) or an RTMP server in
 * listen mode (FLV). The bundled ffmpeg serves one caller and exits when it goes, as a camera that
 * hangs up; {@link #restart()} is the camera coming back on the same port.
 */
public final class LiveServer implements AutoCloseable {

  private final List<String> output;
  private final Path log;
  private Process process;

  private LiveServer(List<String> output, Path log) throws IOException {
    this.output = output;
    this.log = log;
    restart();
  }

  /** An SRT listener on {@code port} (UDP), encrypted with {@code passphrase} (AES-128) unless it is null. */
  public static LiveServer srt(int port, String passphrase, Path log) throws IOException {
    String url = "srt://127.0.0.1:" + port + "?mode=listener"
        + (passphrase == null ? "" : "&passphrase=" + passphrase + "&pbkeylen=16");
    return new LiveServer(List.of("-f", "mpegts", url), log);
  }

  /** An RTMP server on {@code port} (TCP) publishing {@code rtmp://127.0.0.1:port/live/s} to whoever plays it. */
  public static LiveServer rtmp(int port, Path log) throws IOException {
    return new LiveServer(List.of("-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + port + "/live/s"), log);
  }

  public static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** (Re)starts serving; the previous process, if any, must have been closed. */
  public void restart() throws IOException {
    List<String> command = new ArrayList<>(List.of(Natives.ffmpegExecutable(), "-hide_banner", "-loglevel", "warning",
        "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k"));
    command.addAll(output);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** Stops serving (SIGTERM, then SIGKILL): the caller sees its stream end. */
  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }
}
