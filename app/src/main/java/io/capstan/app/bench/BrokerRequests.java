package io.capstan.app.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The requests the in-process broker has handled, by type (Produce, Fetch, EndTxn...: its
 * {@code RequestsPerSec} meters' counts over JMX, summed over versions). A broker's CPU grows with
 * its requests as much as with its bytes: a live stream of one frame per request costs it several
 * times what the same bytes cost in batches.
 */
public record BrokerRequests(Map<String, Long> counts) {

  private static final String METERS = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";
  private static final Set<String> SPLITS_OF_FETCH = Set.of("FetchConsumer", "FetchFollower");

  public static BrokerRequests now() throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Long> counts = new HashMap<>();
    for (ObjectName name : server.queryNames(new ObjectName(METERS), null)) {
      String request = name.getKeyProperty("request");
      // FetchConsumer and FetchFollower count again the Fetch requests they split
      if (request != null && !SPLITS_OF_FETCH.contains(request)) {
        counts.merge(request, ((Number) server.getAttribute(name, "Count")).longValue(), Long::sum);
      }
    }
    return new BrokerRequests(counts);
  }

  /** "N (Type n; ...)": all requests and the busiest types, per second of {@code seconds}. */
  public static String perSecond(Map<String, Long> requests, double seconds) {
    StringBuilder top = new StringBuilder();
    requests.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
        .forEach(e -> top.append(String.format(Locale.ROOT, "%s %.1f; ", e.getKey(), e.getValue() / seconds)));
    long all = requests.values().stream().mapToLong(Long::longValue).sum();
    return String.format(Locale.ROOT, "%.1f (%s)", all / seconds, top.toString().trim());
  }

  /** Requests per type since {@code before}, the types that had any. */
  public Map<String, Long> since(BrokerRequests before) {
    Map<String, Long> added = new HashMap<>();
    counts.forEach((request, count) -> {
      long n = count - before.counts.getOrDefault(request, 0L);
      if (n > 0) {
        added.put(request, n);
      }
    });
    return added;
  }
}
