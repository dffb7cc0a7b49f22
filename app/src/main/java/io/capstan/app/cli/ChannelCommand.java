package io.capstan.app.cli;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.StreamAnnouncement;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the channel directory, as a media server would: who is in which channel, and where their stream is. */
@Command(name = "channel", mixinStandardHelpOptions = true, description = "Announce streams in a channel's directory.",
    subcommands = {ChannelCommand.Join.class, ChannelCommand.Leave.class, ChannelToken.class})
public final class ChannelCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("use 'capstan channel join', 'capstan channel leave' or 'capstan channel token'");
  }

  static void send(KafkaOptions kafka, String key, StreamAnnouncement value) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaClients(kafka.config().kafka()).producer("capstan-cli")) {
      producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  @Command(name = "join", mixinStandardHelpOptions = true, description = "A uid joins a channel with a stream URL.")
  static final class Join implements Callable<Integer> {
    @Option(names = "--channel", required = true, description = "channel name (cname)")
    String channel;
    @Option(names = "--uid", required = true, description = "the participant's uid")
    String uid;
    @Option(names = "--url", required = true, description = "the stream: rtmp(s), rtsp(s), srt, http(s)/hls, whep+http(s) (a WHEP endpoint), file path, lavfi:GRAPH")
    String url;
    @Option(names = "--low-url", description = "the low-quality stream (dual stream)")
    String lowUrl;
    @Option(names = "--audio", negatable = true, defaultValue = "true", fallbackValue = "true", description = "the stream has audio (default: true)")
    boolean audio;
    @Option(names = "--video", negatable = true, defaultValue = "true", fallbackValue = "true", description = "the stream has video (default: true)")
    boolean video;
    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      if (uid.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException("--uid is longer than 255 bytes");
      }
      send(kafka, channel + "/" + uid, StreamAnnouncement.newBuilder().setChannel(channel).setUid(uid).setUrl(url)
          .setLowUrl(lowUrl).setAudio(audio).setVideo(video).setUpdatedUtcMs(System.currentTimeMillis()).build());
      System.out.println(uid + " joined " + channel);
      return 0;
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "A uid leaves a channel.")
  static final class Leave implements Callable<Integer> {
    @Option(names = "--channel", required = true, description = "channel name (cname)")
    String channel;
    @Option(names = "--uid", required = true, description = "the participant's uid")
    String uid;
    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      send(kafka, channel + "/" + uid, null);
      System.out.println(uid + " left " + channel);
      return 0;
    }
  }
}
