package io.capstan.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTCPeerConnection and what every session does with it: blocking offer/answer steps,
 * non-trickle gathering, remote candidates, connection state to a {@link SessionListener}, close.
 *
 * <p>libwebrtc calls the observer on its signalling thread; the listener is called on one Capstan
 * thread instead, so that a listener may close its session (closing from the signalling thread
 * would delete the observer under its own call).
 */
final class Peer implements PeerConnectionObserver {

  private static final Logger log = LoggerFactory.getLogger(Peer.class);

  /** How long one offer/answer step may take (they are local and take milliseconds). */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  /** How long to wait for gathering before handing out what we have (slow STUN/TURN). */
  private static final Duration GATHER_TIMEOUT = Duration.ofSeconds(5);

  private static final ExecutorService EVENTS = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "capstan-webrtc-events");
    t.setDaemon(true);
    return t;
  });

  private final RtcSettings settings;
  private final SessionListener listener;
  private final RTCPeerConnection pc;
  private final CompletableFuture<Void> gathered = new CompletableFuture<>();
  private final Object stateLock = new Object();
  private boolean connected;
  private boolean over;
  private boolean closed;

  Peer(dev.onvoid.webrtc.PeerConnectionFactory factory, RtcSettings settings, SessionListener listener) throws RtcException {
    this.settings = settings;
    this.listener = listener == null ? SessionListener.NONE : listener;
    try {
      this.pc = factory.createPeerConnection(Rtc.configuration(settings), this);
    } catch (RuntimeException e) {
      throw new RtcException("createPeerConnection failed: " + e.getMessage(), false, e);
    }
    if (pc == null) {
      throw new RtcException("createPeerConnection returned nothing", false);
    }
  }

  RTCPeerConnection connection() {
    return pc;
  }

  boolean isConnected() {
    synchronized (stateLock) {
      return connected && !over;
    }
  }

  RTCSessionDescription createOffer() throws RtcException {
    CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
    pc.createOffer(new RTCOfferOptions(), described(done));
    return await(done, "createOffer");
  }

  RTCSessionDescription createAnswer() throws RtcException {
    CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
    pc.createAnswer(new RTCAnswerOptions(), described(done));
    return await(done, "createAnswer");
  }

  void setLocal(RTCSessionDescription description) throws RtcException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    pc.setLocalDescription(description, set(done));
    await(done, "setLocalDescription(" + description.sdpType + ")");
  }

  /** The peer's description: a failure here is the peer's fault (a bad or unsupported SDP). */
  void setRemote(RTCSdpType type, String sdp) throws RtcException {
    if (sdp == null || sdp.isBlank()) {
      throw new RtcException("the remote " + type.name().toLowerCase() + " is empty");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    pc.setRemoteDescription(new RTCSessionDescription(type, sdp), set(done));
    await(done, "setRemoteDescription(" + type + ")");
  }

  /** The local description once gathering is complete (or after 5 s), host candidates advertised. */
  String gatheredLocalSdp() throws RtcException {
    try {
      gathered.get(GATHER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("ICE gathering not complete after {} s; answering with the candidates gathered so far", GATHER_TIMEOUT.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RtcException("interrupted while gathering ICE candidates", false, e);
    } catch (ExecutionException e) {
      throw new RtcException("ICE gathering failed: " + e.getCause().getMessage(), false, e.getCause());
    }
    RTCSessionDescription local = pc.getLocalDescription();
    if (local == null) {
      throw new RtcException("no local description after setLocalDescription", false);
    }
    return Sdp.advertise(local.sdp, settings.advertisedAddress());
  }

  /** The local description as libwebrtc made it (its own addresses, not the advertised one); after gathering. */
  String rawLocalSdp() {
    RTCSessionDescription local = pc.getLocalDescription();
    return local == null ? "" : local.sdp;
  }

  /** Trickled candidates (RFC 8840 fragment); an ICE restart (new ufrag) is refused. */
  void addRemoteCandidates(String fragment) throws RtcException {
    RTCSessionDescription remote = pc.getRemoteDescription();
    if (remote == null) {
      throw new RtcException("candidates before the remote description");
    }
    Sdp.Fragment parsed = Sdp.fragment(fragment == null ? "" : fragment);
    String ufrag = Sdp.ufrag(remote.sdp);
    if (parsed.ufrag() != null && ufrag != null && !parsed.ufrag().equals(ufrag)) {
      throw new RtcException("ICE restart (a new ufrag) is not supported: start a new session");
    }
    List<String> mids = Sdp.mids(remote.sdp);
    for (Sdp.Candidate c : parsed.candidates()) {
      String mid = c.mid() != null ? c.mid() : (mids.isEmpty() ? "0" : mids.get(0));
      int index = Math.max(0, mids.indexOf(mid));
      try {
        pc.addIceCandidate(new RTCIceCandidate(mid, index, c.line()));
      } catch (RuntimeException e) {
        throw new RtcException("addIceCandidate failed for mid " + mid + ": " + e.getMessage(), true, e);
      }
    }
  }

  /** Idempotent; no listener call after it. */
  void close() {
    synchronized (stateLock) {
      if (closed) {
        return;
      }
      closed = true;
      over = true;
      connected = false;
    }
    pc.close();
  }

  @Override
  public void onIceCandidate(RTCIceCandidate candidate) {
    // Non-trickle: the candidates are in the local description once gathering completes.
  }

  @Override
  public void onIceGatheringChange(RTCIceGatheringState state) {
    if (state == RTCIceGatheringState.COMPLETE) {
      gathered.complete(null);
    }
  }

  @Override
  public void onConnectionChange(RTCPeerConnectionState state) {
    switch (state) {
      case CONNECTED -> {
        synchronized (stateLock) {
          if (over || connected) {
            return;
          }
          connected = true;
        }
        EVENTS.execute(() -> {
          if (!isOver()) {
            listener.connected();
          }
        });
      }
      case DISCONNECTED -> {
        synchronized (stateLock) {
          connected = false;
        }
      }
      case FAILED -> fail("ICE or DTLS failed (the peer is unreachable or went away)");
      case CLOSED -> fail("the connection closed");
      default -> { }
    }
  }

  /** The session is over for a reason not our own close(): the listener hears it once. */
  void fail(String reason) {
    synchronized (stateLock) {
      if (over) {
        return;
      }
      over = true;
      connected = false;
    }
    log.info("WebRTC session over: {}", reason);
    EVENTS.execute(() -> listener.failed(reason));
  }

  private boolean isOver() {
    synchronized (stateLock) {
      return over;
    }
  }

  private static CreateSessionDescriptionObserver described(CompletableFuture<RTCSessionDescription> done) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription description) {
        done.complete(description);
      }

      @Override
      public void onFailure(String error) {
        done.completeExceptionally(new IllegalStateException(error));
      }
    };
  }

  private static SetSessionDescriptionObserver set(CompletableFuture<Void> done) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        done.complete(null);
      }

      @Override
      public void onFailure(String error) {
        done.completeExceptionally(new IllegalStateException(error));
      }
    };
  }

  private static <T> T await(CompletableFuture<T> done, String step) throws RtcException {
    try {
      return done.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // libwebrtc rejects a description for what is in it: the peer's fault, permanent.
      throw new RtcException(step + " failed: " + e.getCause().getMessage(), true, e.getCause());
    } catch (TimeoutException e) {
      throw new RtcException(step + " did not finish within " + STEP_TIMEOUT.toSeconds() + " s", false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RtcException(step + " interrupted", false, e);
    }
  }
}
