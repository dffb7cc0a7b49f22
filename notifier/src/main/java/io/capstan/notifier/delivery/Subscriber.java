package io.capstan.notifier.delivery;

import io.capstan.runtime.config.Secrets;
import io.capstan.schemas.Webhook;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One webhook receiver: a URL, the secret that signs its bodies (null: unsigned) and the event
 * types it wants (null: all). Two subscribers with the same URL and secret are the same receiver
 * and get each notice once.
 */
public record Subscriber(String url, String secret, Set<Integer> eventTypes) {

  public boolean wants(int eventType) {
    return eventTypes == null || eventTypes.contains(eventType);
  }

  /** The receiver's identity: its queue and its order are per (url, secret). */
  public Key key() {
    return new Key(url, secret);
  }

  public static Subscriber of(Webhook webhook) {
    return new Subscriber(webhook.getUrl(), blankToNull(webhook.getSecret()),
        webhook.getEventTypes() == null ? null : Set.copyOf(webhook.getEventTypes()));
  }

  /**
   * The global subscribers of {@code notifier.webhook.url} and {@code notifier.webhook.secret}:
   * comma-separated lists, the n-th secret signing for the n-th URL (missing or empty: unsigned).
   */
  public static List<Subscriber> global(String urls, String secrets) {
    List<Subscriber> all = new ArrayList<>();
    if (urls == null || urls.isBlank()) {
      return all;
    }
    String[] u = urls.split(",");
    String[] s = secrets == null ? new String[0] : secrets.split(",", -1);
    for (int i = 0; i < u.length; i++) {
      if (!u[i].isBlank()) {
        all.add(new Subscriber(u[i].trim(), i < s.length ? blankToNull(s[i].trim()) : null, null));
      }
    }
    return all;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Never prints the secret; the URL without user info or secret query parameters. */
  @Override
  public String toString() {
    return Secrets.redactUrl(url) + (secret == null ? "" : " (signed)");
  }

  public record Key(String url, String secret) {
    @Override
    public String toString() {
      return Secrets.redactUrl(url);
    }
  }
}
