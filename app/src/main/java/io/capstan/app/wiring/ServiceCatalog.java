package io.capstan.app.wiring;

import io.capstan.gateway.GatewayService;
import io.capstan.ingest.IngestService;
import io.capstan.mixer.MixerService;
import io.capstan.notifier.NotifierService;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.segmenter.SegmenterService;
import io.capstan.uploader.UploaderService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every service the {@code capstan} command can run, in pipeline order. */
public final class ServiceCatalog {

  public record Entry(String name, Function<ServiceContext, Service> factory, List<Setting<?>> settings) {
  }

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    add(new Entry("ingest", IngestService::new, IngestService.settings()));
    add(new Entry("mixer", MixerService::new, MixerService.settings()));
    add(new Entry("segmenter", SegmenterService::new, io.capstan.segmenter.SegmenterSettings.settings()));
    add(new Entry("uploader", UploaderService::new, io.capstan.uploader.UploaderSettings.settings()));
    add(new Entry("notifier", NotifierService::new, NotifierService.settings()));
    add(new Entry("gateway", GatewayService::new, GatewayService.settings()));
  }

  private ServiceCatalog() {
  }

  private static void add(Entry entry) {
    ENTRIES.put(entry.name(), entry);
  }

  public static List<String> names() {
    return List.copyOf(ENTRIES.keySet());
  }

  /** Entries for a comma-separated list such as {@code ingest,mixer}; unknown names are an error. */
  public static List<Entry> select(String names) {
    List<Entry> selected = new ArrayList<>();
    for (String name : names.split(",")) {
      String n = name.trim();
      if (n.isEmpty()) {
        continue;
      }
      Entry entry = ENTRIES.get(n);
      if (entry == null) {
        throw new IllegalArgumentException("unknown service '" + n + "'; choose from " + String.join(",", names()));
      }
      selected.add(entry);
    }
    return selected;
  }

  public static List<Entry> all() {
    return List.copyOf(ENTRIES.values());
  }
}
