package io.capstan.webrtc.feed;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The feeds of this process by session id. The one process-wide registry in Capstan, on purpose:
 * it is how an ingest instance finds a publisher that the gateway in the same process received,
 * so that the media is not encoded and fetched again over the network (services never reference
 * each other; both only know this registry).
 */
public final class LocalFeeds {

  private static final Map<String, Feed> FEEDS = new ConcurrentHashMap<>();

  private LocalFeeds() {
  }

  public static void register(String sessionId, Feed feed) {
    FEEDS.put(sessionId, feed);
  }

  public static void remove(String sessionId, Feed feed) {
    FEEDS.remove(sessionId, feed);
  }

  public static Optional<Feed> find(String sessionId) {
    return Optional.ofNullable(FEEDS.get(sessionId));
  }
}
