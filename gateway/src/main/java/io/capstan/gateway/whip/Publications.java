package io.capstan.gateway.whip;

import io.capstan.webrtc.feed.LocalFeeds;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WHIP publishers of this gateway: a publisher joins its channel's directory when its media
 * flows and leaves it on DELETE, ICE failure or its connection down for {@code silence}. A uid
 * publishing again replaces its previous session (a browser reloading its page).
 */
final class Publications implements Publication.Owner, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Publications.class);

  private final Map<String, Publication> byId = new ConcurrentHashMap<>();
  /** The publication each channel/uid's directory entry names. */
  private final Map<String, Publication> current = new ConcurrentHashMap<>();
  private final ChannelAnnouncer directory;
  private final Duration silence;
  private final ScheduledExecutorService scheduler;
  private final long checkMs;
  /** The silence watch, scheduled only while there are publications: an idle gateway has no timer. */
  private ScheduledFuture<?> watch;

  Publications(ChannelAnnouncer directory, Duration silence,
               ScheduledExecutorService scheduler) {
    this.directory = directory;
    this.silence = silence;
    this.scheduler = scheduler;
    this.checkMs = Math.max(100, Math.min(1000, silence.toMillis() / 4));
  }

  void add(Publication publication) {
    byId.put(publication.id(), publication);
    watching();
    LocalFeeds.register(publication.id(), publication);
    Publication previous = current.put(key(publication), publication);
    if (previous != null && previous != publication) {
      log.info("WHIP: uid '{}' publishes into channel '{}' again: its previous session ends", publication.uid(),
          publication.channel());
      end(previous, "replaced", false);
    }
    if (publication.isFlowing()) {
      flowing(publication); // its media came before it was added
    }
  }

  Optional<Publication> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  int size() {
    return byId.size();
  }

  /** The publisher's DELETE. */
  void delete(Publication publication) {
    end(publication, "ended by the publisher", true);
  }

  @Override
  public void flowing(Publication publication) {
    scheduler.execute(() -> {
      try {
        if (publication.ended() || publication.announcedUtcMs() > 0 || current.get(key(publication)) != publication) {
          return;
        }
        long now = System.currentTimeMillis();
        publication.announcedAt(now);
        directory.join(publication.channel(), publication.uid(), publication.relayUrl(), publication.audio(),
            publication.video(), now);
        log.info("WHIP: uid '{}' joined channel '{}' (session {})", publication.uid(), publication.channel(),
            publication.id());
      } catch (RuntimeException e) {
        log.error("WHIP: uid '{}' could not join channel '{}'", publication.uid(), publication.channel(), e);
      }
    });
  }

  @Override
  public void failed(Publication publication, String reason) {
    scheduler.execute(() -> end(publication, reason, true));
  }

  private synchronized void watching() {
    if (watch == null) {
      watch = scheduler.scheduleWithFixedDelay(this::watch, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }
  }

  private void watch() {
    try {
      endSilent();
    } catch (RuntimeException e) {
      // A failure here must not end the scheduled watch.
      log.error("WHIP: the silence watch failed", e);
    }
    synchronized (this) {
      // add() schedules it again under this lock, after its put: no publication goes unwatched
      if (byId.isEmpty() && watch != null) {
        watch.cancel(false);
        watch = null;
      }
    }
  }

  private void endSilent() {
    long now = System.nanoTime();
    for (Publication p : byId.values()) {
      if (now - p.aliveNanos() > silence.toNanos()) {
        end(p, p.isFlowing() ? "its connection was lost for " + silence.toSeconds() + " s"
            : "not connected within " + silence.toSeconds() + " s of the offer", true);
      } else if (!p.isFlowing() && now - p.createdNanos() > 2 * silence.toNanos()) {
        end(p, "no picture or sound within " + 2 * silence.toSeconds() + " s of the offer", true);
      }
    }
  }

  private void end(Publication publication, String reason, boolean leave) {
    if (!publication.end()) {
      return;
    }
    byId.remove(publication.id(), publication);
    LocalFeeds.remove(publication.id(), publication);
    boolean wasCurrent = current.remove(key(publication), publication);
    if (leave && wasCurrent && publication.announcedUtcMs() > 0) {
      directory.leave(publication.channel(), publication.uid());
    }
    log.info("WHIP: uid '{}' of channel '{}' left: {}", publication.uid(), publication.channel(), reason);
  }

  private static String key(Publication p) {
    return p.channel() + "/" + p.uid(); // the directory's key: a uid is in a channel once
  }

  @Override
  public void close() {
    for (Publication p : byId.values()) {
      end(p, "the gateway stops", true);
    }
  }
}
