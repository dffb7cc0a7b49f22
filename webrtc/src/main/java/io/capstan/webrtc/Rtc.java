package io.capstan.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.logging.Logging;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PeerConnectionFactory of the process, created on first use and never disposed (its
 * threads live as long as the JVM; disposing it under a live peer crashes the process).
 *
 * <p>It is built on a {@link HeadlessAudioDeviceModule}: the default module opens a sound card and
 * aborts the JVM where there is none. The headless module's 10 ms playout thread is also what pulls
 * remote audio out of the jitter buffers, so without it no {@link MediaSink#audio} would come.
 */
final class Rtc {

  private static final Logger log = LoggerFactory.getLogger(Rtc.class);

  private static final Object LOCK = new Object();
  private static volatile PeerConnectionFactory factory;
  private static HeadlessAudioDeviceModule audioModule;
  private static PeerConnectionFactory sendFactory;
  private static HeadlessAudioDeviceModule sendAudioModule;
  private static AudioTrack placeholderAudio;
  private static VideoTrack placeholderVideo;

  private Rtc() {
  }

  static PeerConnectionFactory factory() {
    PeerConnectionFactory f = factory;
    if (f == null) {
      synchronized (LOCK) {
        if (factory == null) {
          Logging.addLogSink(Logging.Severity.WARNING, (severity, message) -> log.warn("libwebrtc: {}", message.strip()));
          audioModule = new HeadlessAudioDeviceModule();
          factory = new PeerConnectionFactory(audioModule);
          log.info("libwebrtc ready: video codecs {}, audio codecs {}", codecNames(MediaType.VIDEO), codecNames(MediaType.AUDIO));
        }
        f = factory;
      }
    }
    return f;
  }

  /**
   * The factory of {@link SendSession}s (tests, benchmarks, publishing from Java): a second one,
   * because in webrtc-java 0.14 the headless module, once a send stream starts its "recording",
   * pulls the mixed remote audio (a second pull besides playout, so receivers get every 10 ms twice
   * as fast) and pushes it into every audio send stream from its own thread, racing a custom audio
   * source (libwebrtc aborts the JVM: "Check failed: !race_checker.RaceDetected()" in
   * audio_send_stream.cc). Here the module's callback is replaced by a silent Java source, so
   * neither pull nor push reaches libwebrtc: the custom sources are the only producers. The
   * receiving factory never sends audio, so its module never records.
   */
  static PeerConnectionFactory sendFactory() {
    factory();
    synchronized (LOCK) {
      if (sendFactory == null) {
        sendAudioModule = new HeadlessAudioDeviceModule();
        sendFactory = new PeerConnectionFactory(sendAudioModule);
        sendAudioModule.setAudioSource((buffer, samples, bytesPerSample, channels, sampleRate) -> 0);
      }
      return sendFactory;
    }
  }

  /**
   * libwebrtc adds a transceiver only with a track; a receive-only transceiver gets one of these
   * two, which never produce anything and are shared by every session of the process.
   */
  static AudioTrack placeholderAudio() {
    synchronized (LOCK) {
      if (placeholderAudio == null) {
        placeholderAudio = factory().createAudioTrack("capstan-no-audio", new CustomAudioSource());
      }
      return placeholderAudio;
    }
  }

  static VideoTrack placeholderVideo() {
    synchronized (LOCK) {
      if (placeholderVideo == null) {
        placeholderVideo = factory().createVideoTrack("capstan-no-video", new CustomVideoSource());
      }
      return placeholderVideo;
    }
  }

  /** Bundled, RTCP-muxed, UDP only, host candidates in the port range when there is one. */
  static RTCConfiguration configuration(RtcSettings settings) {
    RTCConfiguration config = new RTCConfiguration();
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
    for (RtcSettings.IceServer server : settings.iceServers()) {
      RTCIceServer ice = new RTCIceServer();
      ice.urls = List.of(server.url());
      ice.username = server.username();
      ice.password = server.credential();
      config.iceServers.add(ice);
    }
    PortAllocatorConfig ports = new PortAllocatorConfig();
    ports.minPort = settings.minPort();
    ports.maxPort = settings.maxPort();
    // TCP host candidates would take ports outside the UDP range (and "active" ones say port 9).
    ports.setDisableTcp(true);
    config.portAllocatorConfig = ports;
    return config;
  }

  /** The receiver's capabilities for one kind, keeping only the named codecs (and rtx for them), in the order given. */
  static List<RTCRtpCodecCapability> receiveCodecs(MediaType kind, List<String> names) {
    return pick(factory().getRtpReceiverCapabilities(kind).getCodecs(), names);
  }

  static List<RTCRtpCodecCapability> sendCodecs(MediaType kind, List<String> names) {
    return pick(factory().getRtpSenderCapabilities(kind).getCodecs(), names);
  }

  private static List<RTCRtpCodecCapability> pick(List<RTCRtpCodecCapability> all, List<String> names) {
    List<RTCRtpCodecCapability> picked = new java.util.ArrayList<>();
    for (String name : names) {
      for (RTCRtpCodecCapability c : all) {
        if (c.getName().equalsIgnoreCase(name)) {
          picked.add(c);
        }
      }
    }
    if (!picked.isEmpty()) {
      for (RTCRtpCodecCapability c : all) {
        if (c.getName().equalsIgnoreCase("rtx")) {
          picked.add(c);
        }
      }
    }
    return picked;
  }

  static Set<String> codecNames(MediaType kind) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (RTCRtpCodecCapability c : factory().getRtpReceiverCapabilities(kind).getCodecs()) {
      names.add(c.getName().toUpperCase(Locale.ROOT));
    }
    return names;
  }
}
