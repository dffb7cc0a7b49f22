package io.capstan.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandOffNoteTest {

  @Test
  void theNextOwnerReadsWhereEachJobStops() {
    Map<String, Long> planned = new LinkedHashMap<>();
    planned.put("job-1", 12_345_678L);
    planned.put("a;b=c d%", 9L);
    HandOffNote note = HandOffNote.fitting(planned);
    assertThat(HandOffNote.decode(note.encode()).untilUs()).isEqualTo(planned);
  }

  @Test
  void aPlainCommitOrAnotherNoteSaysNothingIsHandedOver() {
    assertThat(HandOffNote.decode("").untilUs()).isEmpty();
    assertThat(HandOffNote.decode(null).untilUs()).isEmpty();
    assertThat(HandOffNote.decode("h9:job=1;").untilUs()).isEmpty();
    assertThat(HandOffNote.decode("h1:job=notanumber;other=5;").untilUs()).containsExactly(Map.entry("other", 5L));
    assertThat(HandOffNote.empty().encode()).isEmpty();
  }

  @Test
  void jobsThatDoNotFitInKafkasMetadataAreLeftOutSoTheirOwnerStopsThemAtOnce() {
    Map<String, Long> planned = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      planned.put("job-" + "x".repeat(30) + i, 1_000_000_000L + i);
    }
    HandOffNote note = HandOffNote.fitting(planned);
    assertThat(note.encode().length()).isLessThanOrEqualTo(HandOffNote.MAX_CHARS);
    assertThat(note.untilUs()).isNotEmpty().hasSizeLessThan(planned.size());
    assertThat(planned).containsAllEntriesOf(HandOffNote.decode(note.encode()).untilUs());
    assertThat(HandOffNote.decode(note.encode()).untilUs()).isEqualTo(note.untilUs());
  }
}
