package io.capstan.gateway.whip;

import io.capstan.schemas.AudioFrame;
import io.capstan.webrtc.MediaSink;
import io.capstan.webrtc.Picture;
import io.capstan.webrtc.ReceiveSession;
import io.capstan.webrtc.SessionListener;
import io.capstan.webrtc.feed.Feed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WHIP publisher: its peer connection, decoded once, and the readers its media goes to (the
 * recordings in this process and the media relays to other ingest instances).
 */
final class Publication implements Feed, MediaSink, SessionListener {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Publication.class);

  /** What the publications learn from one of them. */
  interface Owner {
    void flowing(Publication publication);

    void failed(Publication publication, String reason);
  }

  private final String id;
  private final String relayKey;
  private final String relayUrl;
  private final String appId;
  private final String channel;
  private final String uid;
  private final boolean audio;
  private final boolean video;
  private final long createdNanos = System.nanoTime();
  private final List<MediaSink> sinks = new CopyOnWriteArrayList<>();
  private final AtomicBoolean flowing = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Owner owner;
  private volatile ReceiveSession session;
  private volatile long announcedUtcMs;
  private volatile boolean connected;
  private volatile long aliveNanos = System.nanoTime();

  Publication(String id, String relayKey, String relayUrl, String appId, String channel, String uid, boolean audio, boolean video) {
    this.id = id;
    this.relayKey = relayKey;
    this.relayUrl = relayUrl;
    this.appId = appId;
    this.channel = channel;
    this.uid = uid;
    this.audio = audio;
    this.video = video;
  }

  void attach(ReceiveSession session, Owner owner) {
    this.session = session;
    this.owner = owner;
  }

  String id() {
    return id;
  }

  String relayKey() {
    return relayKey;
  }

  /** The directory's URL for this publisher (see {@link WhipEndpoint}). */
  String relayUrl() {
    return relayUrl;
  }

  String appId() {
    return appId;
  }

  String channel() {
    return channel;
  }

  String uid() {
    return uid;
  }

  ReceiveSession session() {
    return session;
  }

  long createdNanos() {
    return createdNanos;
  }

  boolean isFlowing() {
    return flowing.get();
  }

  long announcedUtcMs() {
    return announcedUtcMs;
  }

  void announcedAt(long utcMs) {
    announcedUtcMs = utcMs;
  }

  @Override
  public boolean audio() {
    return audio;
  }

  @Override
  public boolean video() {
    return video;
  }

  @Override
  public boolean ended() {
    return ended.get();
  }

  /** Marks it over and closes the peer connection; true the first time. */
  boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    ReceiveSession s = session;
    if (s != null) {
      s.close();
    }
    return true;
  }

  @Override
  public Subscription subscribe(MediaSink sink) {
    sinks.add(sink);
    return () -> sinks.remove(sink);
  }

  @Override
  public void video(Picture picture, long arrivalUs) {
    media(true);
    for (MediaSink sink : sinks) {
      sink.video(picture, arrivalUs);
    }
  }

  @Override
  public void audio(AudioFrame frame, long arrivalUs) {
    media(connected && !silent(frame));
    for (MediaSink sink : sinks) {
      sink.audio(frame, arrivalUs);
    }
  }

  /**
   * The participant's media flows once a picture is decoded or a sound heard on the connection:
   * libwebrtc's audio device pulls sound from every track from the start, silence until packets
   * come, so silence says nothing.
   */
  private void media(boolean real) {
    if (!real) {
      return;
    }
    aliveNanos = System.nanoTime();
    if (!flowing.get() && flowing.compareAndSet(false, true)) {
      Owner o = owner;
      if (o != null) {
        o.flowing(this);
      }
    }
  }

  @Override
  public void connected() {
    // The participant joins when its media flows, not when ICE is up: a connection may carry nothing.
    connected = true;
    log.info("WHIP: session {} of uid '{}' connected (ICE and DTLS up)", id, uid);
  }

  private static boolean silent(AudioFrame frame) {
    java.nio.ByteBuffer samples = frame.getSamples();
    for (int i = samples.position(); i < samples.limit(); i++) {
      if (samples.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * When the publisher was last known to be there: a picture or a sound, or its connection up (ICE
   * consent checks keep it so while a browser lives, even when its muted microphone sends nothing;
   * FFmpeg's whip muxer answers none, so its connection looks down while its media flows).
   */
  long aliveNanos() {
    ReceiveSession s = session;
    if (s != null && s.isConnected()) {
      aliveNanos = System.nanoTime();
    }
    return aliveNanos;
  }

  @Override
  public void failed(String reason) {
    Owner o = owner;
    if (o != null) {
      o.failed(this, reason);
    }
  }
}
