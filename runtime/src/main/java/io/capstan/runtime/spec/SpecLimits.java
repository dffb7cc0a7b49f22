package io.capstan.runtime.spec;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import java.util.List;

/** How much one recording may ask for, the same for the gateway and ingest. */
public record SpecLimits(int compositeSources, int individualSources) {

  public static final Setting<Integer> COMPOSITE_SOURCES = Setting.integer("limits.sources.composite", 17,
      "most sources a composite job may name (the reference mixes 17 video users)");
  public static final Setting<Integer> INDIVIDUAL_SOURCES = Setting.integer("limits.sources.individual", 49,
      "most sources an individual job may name (the reference records 49 users)");

  public static final SpecLimits DEFAULTS = new SpecLimits(COMPOSITE_SOURCES.defaultValue(),
      INDIVIDUAL_SOURCES.defaultValue());

  public static SpecLimits of(Config config) {
    return new SpecLimits(config.get(COMPOSITE_SOURCES), config.get(INDIVIDUAL_SOURCES));
  }

  public static List<Setting<?>> settings() {
    return List.of(COMPOSITE_SOURCES, INDIVIDUAL_SOURCES);
  }
}
