package io.capstan.notifier.status;

import io.capstan.runtime.kafka.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * capstan.events and capstan.jobs (both keyed by jobId, so co-partitioned) into one ledger
 * processor, which writes capstan.notices and capstan.status.
 */
public final class NotifierTopology {

  public static final String LEDGER_STORE = "job-ledger";
  static final String NOTICES_SINK = "notices";
  static final String STATUS_SINK = "status";

  private NotifierTopology() {
  }

  /** @param serdeConfigs client settings the Avro serdes read ({@code schema.registry.url}). */
  public static Topology build(Map<String, ?> serdeConfigs) {
    var keys = Serdes.String();
    Topology topology = new Topology();
    topology.addSource("events", keys.deserializer(), Topics.EVENTS.serde(serdeConfigs).deserializer(),
        Topics.EVENTS.name());
    topology.addSource("jobs", keys.deserializer(), Topics.JOBS.serde(serdeConfigs).deserializer(),
        Topics.JOBS.name());
    topology.addProcessor("ledger", JobLedgerProcessor::new, "events", "jobs");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_STORE),
        keys, Topics.STATUS.serde(serdeConfigs)), "ledger");
    topology.addSink(NOTICES_SINK, Topics.NOTICES.name(), keys.serializer(),
        Topics.NOTICES.serde(serdeConfigs).serializer(), "ledger");
    topology.addSink(STATUS_SINK, Topics.STATUS.name(), keys.serializer(),
        Topics.STATUS.serde(serdeConfigs).serializer(), "ledger");
    return topology;
  }
}
