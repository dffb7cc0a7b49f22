package io.capstan.webrtc;

import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One receive-only peer connection: decoded pictures and 48 kHz audio go to a {@link MediaSink}.
 * Either side of the exchange: {@link #answer} a publisher's offer (WHIP), or {@link #offer} and
 * {@link #acceptAnswer} (WHEP). Descriptions are non-trickle: {@link #localSdp()} carries every
 * candidate gathered (within 5 s).
 */
public final class ReceiveSession implements AutoCloseable {

  /** What a WHEP offer asks for, best first; libwebrtc here also decodes AV1, which we do not ask for. */
  static final List<String> VIDEO_CODECS = List.of("VP8", "VP9", "H264");
  static final List<String> AUDIO_CODECS = List.of("opus");

  private final Peer peer;
  private final ReceiveOptions options;
  private final MediaSink sink;
  private final List<VideoTrack> videoTracks = new ArrayList<>();
  private final List<VideoReceiver> videoReceivers = new ArrayList<>();
  private final List<AudioTrack> audioTracks = new ArrayList<>();
  private final List<AudioReceiver> audioReceivers = new ArrayList<>();
  private String localSdp;
  private StunRepair repair;
  private boolean closed;

  private ReceiveSession(RtcSettings settings, ReceiveOptions options, MediaSink sink, SessionListener listener) throws RtcException {
    this.options = Objects.requireNonNull(options, "options");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.peer = new Peer(Rtc.factory(), Objects.requireNonNull(settings, "settings"), listener);
  }

  /** WHIP: answers a publisher's offer (send-only or sendrecv audio and video), receiving only. */
  public static ReceiveSession answer(RtcSettings settings, String offerSdp, ReceiveOptions options, MediaSink sink,
      SessionListener listener) throws RtcException {
    ReceiveSession session = new ReceiveSession(settings, options, sink, listener);
    try {
      session.peer.setRemote(RTCSdpType.OFFER, Sdp.withoutDanglingSsrcGroups(offerSdp));
      int receiving = 0;
      for (RTCRtpTransceiver transceiver : session.peer.connection().getTransceivers()) {
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        boolean wanted = track instanceof AudioTrack ? options.audio() : options.video();
        transceiver.setDirection(wanted ? RTCRtpTransceiverDirection.RECV_ONLY : RTCRtpTransceiverDirection.INACTIVE);
        if (wanted) {
          session.attach(track);
          receiving++;
        }
      }
      if (receiving == 0) {
        throw new RtcException("the offer has no audio or video to receive (asked for " + options + ")");
      }
      session.peer.setLocal(session.peer.createAnswer());
      session.localSdp = session.peer.gatheredLocalSdp();
      java.net.InetSocketAddress host = Sdp.firstHostCandidate(session.peer.rawLocalSdp());
      String peerPassword = Sdp.icePwd(offerSdp);
      if (StunRepair.needed(offerSdp) && host != null && peerPassword != null) {
        // FFmpeg's whip muxer sends to the answer's first candidate only: the relay's port goes there.
        session.repair = StunRepair.start(host, peerPassword, settings);
        session.localSdp = Sdp.withFirstHostCandidatePort(session.localSdp, session.repair.port());
      }
      return session;
    } catch (RtcException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** WHEP: a receive-only offer, audio Opus and video VP8, VP9 or H.264 as {@code options} ask. */
  public static ReceiveSession offer(RtcSettings settings, ReceiveOptions options, MediaSink sink, SessionListener listener)
      throws RtcException {
    if (!options.audio() && !options.video()) {
      throw new RtcException("a receive session needs audio, video or both");
    }
    ReceiveSession session = new ReceiveSession(settings, options, sink, listener);
    try {
      if (options.audio()) {
        session.receive(Rtc.placeholderAudio(), Rtc.receiveCodecs(MediaType.AUDIO, AUDIO_CODECS));
      }
      if (options.video()) {
        session.receive(Rtc.placeholderVideo(), Rtc.receiveCodecs(MediaType.VIDEO, VIDEO_CODECS));
      }
      session.peer.setLocal(session.peer.createOffer());
      session.localSdp = session.peer.gatheredLocalSdp();
      return session;
    } catch (RtcException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void receive(MediaStreamTrack placeholder, List<RTCRtpCodecCapability> codecs) {
    RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
    init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
    RTCRtpTransceiver transceiver = peer.connection().addTransceiver(placeholder, init);
    if (!codecs.isEmpty()) {
      transceiver.setCodecPreferences(codecs);
    }
    attach(transceiver.getReceiver().getTrack());
  }

  private void attach(MediaStreamTrack track) {
    if (track instanceof VideoTrack video) {
      VideoReceiver receiver = new VideoReceiver(sink);
      video.addSink(receiver);
      videoTracks.add(video);
      videoReceivers.add(receiver);
    } else if (track instanceof AudioTrack audio) {
      AudioReceiver receiver = new AudioReceiver(sink);
      audio.addSink(receiver);
      audioTracks.add(audio);
      audioReceivers.add(receiver);
    }
  }

  /** Our description: the answer to a WHIP offer, or the WHEP offer, with its candidates. */
  public String localSdp() {
    return localSdp;
  }

  /** WHEP: the server's answer to {@link #offer}. */
  public void acceptAnswer(String answerSdp) throws RtcException {
    peer.setRemote(RTCSdpType.ANSWER, answerSdp);
  }

  /** Trickle ICE: an application/trickle-ice-sdpfrag body (RFC 8840) from the peer. */
  public void addRemoteCandidates(String sdpFragment) throws RtcException {
    peer.addRemoteCandidates(sdpFragment);
  }

  public boolean isConnected() {
    return peer.isConnected();
  }

  public ReceiveOptions options() {
    return options;
  }

  /** Idempotent: the sinks come off the tracks (no call after this returns), then the connection closes. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Remote tracks belong to the connection: their sinks come off, the tracks are not disposed.
    for (int i = 0; i < videoTracks.size(); i++) {
      videoReceivers.get(i).close();
      videoTracks.get(i).removeSink(videoReceivers.get(i));
    }
    for (int i = 0; i < audioTracks.size(); i++) {
      audioTracks.get(i).removeSink(audioReceivers.get(i));
      audioReceivers.get(i).close();
    }
    videoTracks.clear();
    audioTracks.clear();
    peer.close();
    if (repair != null) {
      repair.close();
    }
  }
}
