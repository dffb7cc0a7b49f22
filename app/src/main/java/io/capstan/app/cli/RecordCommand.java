package io.capstan.app.cli;

import io.capstan.app.follow.EventFollower;
import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.gateway.mapping.StartContext;
import io.capstan.gateway.mapping.StartRequestMapper;
import io.capstan.runtime.events.EventType;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Uploaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Submits a recording, follows it with a progress line, stops it after --seconds, exits 0 when it ended well. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = {"Record a channel: submit a Start command, follow the recording's events until it ends.",
        "Sources come from the channel directory (capstan channel join) unless --source is given.",
        "With --file, the recording is described by a JSON file shaped like the REST start body."})
public final class RecordCommand implements Callable<Integer> {

  @Option(names = "--channel", description = "channel name (cname); required without --file")
  String channel;

  @Option(names = "--file", description = "a JSON file shaped like the REST start body {cname, uid, clientRequest:{...}}")
  java.nio.file.Path file;

  @Option(names = "--mode", defaultValue = "mix", description = "mix (composite), individual or web (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--source", description = "an explicit source as UID=URL instead of the channel directory; repeatable")
  Map<String, String> sources = new java.util.LinkedHashMap<>();

  @Option(names = "--seconds", description = "stop after this many seconds (default: record until the sources end or the channel stays empty for maxIdleTime)")
  Integer seconds;

  @Option(names = "--fast", description = "with file sources named by --source: record as fast as the CPU allows")
  boolean fast;

  @Option(names = "--width", defaultValue = "640", description = "composite width (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--height", defaultValue = "360", description = "composite height (default: ${DEFAULT-VALUE})")
  int height;

  @Option(names = "--fps", defaultValue = "15", description = "composite frame rate (default: ${DEFAULT-VALUE})")
  int fps;

  @Option(names = "--bitrate", defaultValue = "800", description = "composite bitrate, kbps (default: ${DEFAULT-VALUE})")
  int bitrate;

  @Option(names = "--layout", defaultValue = "1", description = "0 float, 1 best fit, 2 vertical (default: ${DEFAULT-VALUE})")
  int layout;

  @Option(names = "--slice-seconds", defaultValue = "10", description = "HLS slice length (default: ${DEFAULT-VALUE})")
  int sliceSeconds;

  @Option(names = "--bucket", defaultValue = "", description = "local storage folder (vendor 99) under the uploader's root")
  String bucket;

  @Option(names = "--max-idle", defaultValue = "30", description = "maxIdleTime, seconds (default: ${DEFAULT-VALUE})")
  int maxIdle;

  @Option(names = "--timeout", defaultValue = "3600", description = "give up following after this many seconds (default: ${DEFAULT-VALUE})")
  int timeout;

  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() throws Exception {
    JobSpec spec = spec();
    KafkaClients clients = new KafkaClients(kafka.config().kafka());
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicInteger exitStatus = new AtomicInteger(-1);
    AtomicReference<String> files = new AtomicReference<>("");
    long started = System.nanoTime();
    try (EventFollower follower = new EventFollower(clients);
         KafkaProducer<String, SpecificRecord> producer = clients.producer("capstan-cli-record")) {
      send(producer, spec.getJobId(), StartCommand.newBuilder().setSpec(spec).build());
      System.out.println("sid " + spec.getJobId() + " recording channel '" + channel + "'");
      AtomicReference<Boolean> stopSent = new AtomicReference<>(false);
      boolean ended = follower.follow(spec.getJobId(), Duration.ofSeconds(timeout), event -> {
        Object details = event.getDetails();
        System.out.println("  event " + EventType.of(details).code() + " " + EventType.of(details).msgName()
            + describe(details));
        if (details instanceof RecordingError error && failure.get() == null) {
          failure.set(error.getErrorMsg());
        }
        if (details instanceof Uploaded uploaded) {
          files.set(uploaded.getFileList().stream().map(f -> f.getFileName()).toList().toString());
        }
        if (details instanceof SessionExit exit) {
          exitStatus.set(exit.getExitStatus());
          return true;
        }
        return false;
      }, () -> {
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        if (seconds != null && elapsed >= seconds && !stopSent.get()) {
          stopSent.set(true);
          try {
            send(producer, spec.getJobId(), StopCommand.newBuilder().build());
            System.out.println("  stop sent after " + elapsed + " s");
          } catch (Exception e) {
            throw new IllegalStateException("cannot send Stop: " + e.getMessage(), e);
          }
        }
      });
      if (!ended) {
        System.err.println("capstan record: no session_exit within " + timeout + " s");
        return 1;
      }
    }
    if (exitStatus.get() != 0 || failure.get() != null) {
      System.err.println("capstan record: the recording failed"
          + (failure.get() != null ? ": " + failure.get() : " (exitStatus " + exitStatus.get() + ")"));
      return 1;
    }
    System.out.println("recording " + spec.getJobId() + " done; files " + files.get());
    return 0;
  }

  private static String describe(Object details) {
    if (details instanceof RecordingError e) {
      return ": " + e.getErrorMsg();
    }
    return "";
  }

  private JobSpec spec() throws java.io.IOException {
    String sid = UUID.randomUUID().toString().replace("-", "");
    if (file != null) {
      com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
      try {
        JobSpec mapped = new StartRequestMapper(new StartRequestMapper.Options(io.capstan.runtime.source.SourcePolicy.OPEN))
            .map(body, mode, new StartContext("capstan-cli", null, "web".equals(mode) ? 1 : 0, sid)).spec();
        channel = mapped.getChannel();
        return mapped;
      } catch (InvalidRequestException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
    }
    if (channel == null) {
      throw new IllegalArgumentException("give --channel (or --file with a start body)");
    }
    RecordingMode recordingMode = switch (mode) {
      case "mix", "composite" -> RecordingMode.COMPOSITE;
      case "individual" -> RecordingMode.INDIVIDUAL;
      case "web" -> RecordingMode.WEB;
      default -> throw new IllegalArgumentException("--mode must be mix, individual or web, not '" + mode + "'");
    };
    List<Source> explicit = new ArrayList<>();
    sources.forEach((uid, url) -> explicit.add(Source.newBuilder().setUid(uid).setUrl(url).build()));
    if (fast && explicit.isEmpty()) {
      throw new IllegalArgumentException("--fast needs the file sources named with --source");
    }
    return JobSpec.newBuilder()
        .setJobId(sid)
        .setChannel(channel)
        .setMode(recordingMode)
        .setSources(explicit)
        .setPacing(fast ? Pacing.FAST : Pacing.REALTIME)
        .setMaxIdleTimeSeconds(maxIdle)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setTranscoding(recordingMode == RecordingMode.INDIVIDUAL ? null : Transcoding.newBuilder().setWidth(width)
            .setHeight(height).setFps(fps).setBitrateKbps(bitrate)
            .setLayout(Layout.newBuilder().setMixedVideoLayout(layout).build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(sliceSeconds).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket(bucket).build())
        .setStartedUtcMs(0)
        .build();
  }

  private static void send(KafkaProducer<String, SpecificRecord> producer, String sid, Object action) throws Exception {
    RecordingCommand command = RecordingCommand.newBuilder().setJobId(sid).setCommandId(UUID.randomUUID().toString())
        .setIssuedUtcMs(System.currentTimeMillis()).setAction(action).build();
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, command)).get(30, TimeUnit.SECONDS);
  }
}
