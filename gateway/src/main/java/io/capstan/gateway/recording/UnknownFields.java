package io.capstan.gateway.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request fields Capstan does not know, accepted and ignored: counted in
 * {@code capstan_gateway_unknown_fields} (tag {@code field}) and logged once per name, so an operator
 * sees which client features Capstan silently skips. Field names come from callers, so the tag
 * takes at most {@link #MAX_NAMES} distinct names (the rest count as {@value #OTHER}) and each name is
 * cut to {@link #MAX_LENGTH} characters of a safe alphabet before it reaches a tag or a log line.
 */
public final class UnknownFields {

  static final int MAX_NAMES = 100;
  static final int MAX_LENGTH = 80;
  static final String OTHER = "other";
  private static final Logger log = LoggerFactory.getLogger(UnknownFields.class);

  private final MeterRegistry metrics;
  private final Set<String> named = ConcurrentHashMap.newKeySet();

  public UnknownFields(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** Counted nowhere that is read: for tests and tools that build a gateway without metrics. */
  public static UnknownFields unmetered() {
    return new UnknownFields(new SimpleMeterRegistry());
  }

  /** Counts (and the first time, logs) each of {@code fields} of one {@code call}. */
  public void seen(String call, List<String> fields) {
    for (String field : fields) {
      String name = safe(field);
      boolean known = named.contains(name);
      // The size check and the add are not atomic: a race may let a few names past the bound, never many.
      if (!known && named.size() < MAX_NAMES) {
        if (named.add(name)) {
          log.info("{}: accepted and ignored the unknown field '{}' (logged once per field)", call, name);
        }
        known = true;
      }
      String tag = known ? name : OTHER;
      Counter.builder("capstan_gateway_unknown_fields").description("request fields Capstan does not know, ignored")
          .tag("field", tag).register(metrics).increment();
    }
  }

  /** Letters, digits and {@code . _ [ ] -}; anything else becomes {@code ?}; at most {@link #MAX_LENGTH}. */
  static String safe(String field) {
    StringBuilder out = new StringBuilder(Math.min(field.length(), MAX_LENGTH));
    for (int i = 0; i < field.length() && out.length() < MAX_LENGTH; i++) {
      char c = field.charAt(i);
      boolean ok = c < 128 && (Character.isLetterOrDigit(c) || ".-_[]".indexOf(c) >= 0);
      out.append(ok ? c : '?');
    }
    return out.toString();
  }
}
