package io.capstan.webrtc;

import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link MediaSource}'s pictures and sound through libwebrtc's custom sources: a send-only
 * offer for WHIP publishing, or the answer of a WHEP server to a receive-only offer. For tests,
 * benchmarks and publishing from Java.
 */
public final class SendSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SendSession.class);
  private static final List<String> STREAM = List.of("capstan");

  private final Peer peer;
  private final MediaSource media;
  private final CustomVideoSource videoSource;
  private final VideoTrack videoTrack;
  private final CustomAudioSource audioSource;
  private final AudioTrack audioTrack;
  private volatile boolean sending = true;
  private String localSdp;
  private boolean started;
  private boolean closed;

  private SendSession(RtcSettings settings, MediaSource media, SessionListener listener) throws RtcException {
    this.media = Objects.requireNonNull(media, "media");
    this.peer = new Peer(Rtc.sendFactory(), Objects.requireNonNull(settings, "settings"), listener);
    this.videoSource = new CustomVideoSource();
    this.videoTrack = Rtc.sendFactory().createVideoTrack("capstan-video", videoSource);
    this.audioSource = new CustomAudioSource();
    this.audioTrack = Rtc.sendFactory().createAudioTrack("capstan-audio", audioSource);
  }

  /** A send-only offer (Opus, and {@code videoCodec} "VP8" or "H264", or libwebrtc's choice when null) for WHIP. */
  public static SendSession offer(RtcSettings settings, MediaSource media, String videoCodec, SessionListener listener)
      throws RtcException {
    SendSession session = new SendSession(settings, media, listener);
    try {
      session.send(session.audioTrack, List.of());
      List<RTCRtpCodecCapability> video = List.of();
      if (videoCodec != null) {
        video = Rtc.sendCodecs(MediaType.VIDEO, List.of(videoCodec));
        if (video.isEmpty()) {
          throw new RtcException("this libwebrtc cannot send " + videoCodec + "; it has " + Rtc.codecNames(MediaType.VIDEO));
        }
      }
      session.send(session.videoTrack, video);
      session.peer.setLocal(session.peer.createOffer());
      session.localSdp = session.peer.gatheredLocalSdp();
      session.start();
      return session;
    } catch (RtcException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** A WHEP server's side: answers a receive-only offer, sending on each audio and video m-line. */
  public static SendSession answer(RtcSettings settings, String offerSdp, MediaSource media, SessionListener listener)
      throws RtcException {
    SendSession session = new SendSession(settings, media, listener);
    try {
      session.peer.setRemote(RTCSdpType.OFFER, offerSdp);
      for (RTCRtpTransceiver transceiver : session.peer.connection().getTransceivers()) {
        boolean audio = transceiver.getReceiver().getTrack() instanceof AudioTrack;
        transceiver.getSender().replaceTrack(audio ? session.audioTrack : session.videoTrack);
        transceiver.getSender().setStreams(STREAM);
        transceiver.setDirection(RTCRtpTransceiverDirection.SEND_ONLY);
      }
      session.peer.setLocal(session.peer.createAnswer());
      session.localSdp = session.peer.gatheredLocalSdp();
      session.start();
      return session;
    } catch (RtcException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void send(MediaStreamTrack track, List<RTCRtpCodecCapability> codecs) {
    RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
    init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
    init.streamIds = STREAM;
    RTCRtpTransceiver transceiver = peer.connection().addTransceiver(track, init);
    if (!codecs.isEmpty()) {
      transceiver.setCodecPreferences(codecs);
    }
  }

  private void start() {
    media.start(this::pushVideo, this::pushAudio);
    started = true;
  }

  private void pushVideo(VideoFrame frame) {
    if (!sending) {
      return;
    }
    NativeI420Buffer buffer = NativeI420Buffer.allocate(frame.getWidth(), frame.getHeight());
    try {
      ByteBuffer data = frame.getData().duplicate();
      List<Integer> strides = frame.getStrides();
      int w = frame.getWidth();
      int h = frame.getHeight();
      int cw = (w + 1) / 2;
      int ch = (h + 1) / 2;
      int offset = data.position();
      offset = plane(data, offset, strides.get(0), w, h, buffer.getDataY(), buffer.getStrideY());
      offset = plane(data, offset, strides.get(1), cw, ch, buffer.getDataU(), buffer.getStrideU());
      plane(data, offset, strides.get(2), cw, ch, buffer.getDataV(), buffer.getStrideV());
      videoSource.pushFrame(new dev.onvoid.webrtc.media.video.VideoFrame(buffer, System.nanoTime()));
    } catch (RuntimeException e) {
      log.warn("a picture could not be sent", e);
    } finally {
      buffer.release();
    }
  }

  private static int plane(ByteBuffer src, int offset, int srcStride, int width, int rows, ByteBuffer dst, int dstStride) {
    for (int row = 0; row < rows; row++) {
      dst.put(row * dstStride, src, offset + row * srcStride, width);
    }
    return offset + rows * srcStride;
  }

  private void pushAudio(AudioFrame frame) {
    if (!sending) {
      return;
    }
    ByteBuffer samples = frame.getSamples().duplicate();
    byte[] pcm = new byte[samples.remaining()];
    samples.get(pcm);
    int frames = pcm.length / 2 / frame.getChannels();
    audioSource.pushAudio(pcm, 16, frame.getSampleRate(), frame.getChannels(), frames);
  }

  public String localSdp() {
    return localSdp;
  }

  /** WHIP: the server's answer to {@link #offer}. */
  public void acceptAnswer(String answerSdp) throws RtcException {
    peer.setRemote(RTCSdpType.ANSWER, answerSdp);
  }

  public boolean isConnected() {
    return peer.isConnected();
  }

  /** Idempotent: the media stops, the connection closes, then the tracks and sources are freed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sending = false;
    if (started) {
      media.stop();
    }
    peer.close();
    dispose(videoTrack);
    dispose(audioTrack);
    videoSource.dispose();
    audioSource.dispose();
  }

  private static void dispose(MediaStreamTrack track) {
    try {
      track.dispose();
    } catch (Error e) {
      // webrtc-java throws when another reference remains; the last holder frees it instead.
      log.debug("{} track still referenced at dispose: {}", track.getClass().getSimpleName().toLowerCase(Locale.ROOT), e.getMessage());
    }
  }
}
