package io.capstan.app.bench;

/** Where a CPU sample of the pipeline went, in the order the profile's split is printed. */
public enum CpuCategory {
  DECODING("decoding (demux + decode, ingest)"),
  CONVERSIONS("conversions and copies"),
  SERIALISATION("serialisation (Avro)"),
  PRODUCER("Kafka producer"),
  BROKER("Kafka broker"),
  CONSUMER("Kafka consumer"),
  COMPOSITION("composition (compositor, audio mix)"),
  X264("x264"),
  AAC("AAC encoding"),
  MUXING("muxing (TS/fMP4/HLS)"),
  GC("GC"),
  JIT("JIT"),
  POLLING("polling and waiting"),
  OTHER("other");

  private final String label;

  CpuCategory(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
