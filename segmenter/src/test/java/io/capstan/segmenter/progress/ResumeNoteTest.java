package io.capstan.segmenter.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.segmenter.job.OutputKey;
import io.capstan.segmenter.naming.TrackSet;
import org.junit.jupiter.api.Test;

class ResumeNoteTest {

  @Test
  void roundTripsOddNames() {
    ResumeNote note = ResumeNote.empty();
    note.endedJobs().put("job;1", 42L);
    note.outputs().put(new OutputKey("job,2", "", TrackSet.AV), new ResumeNote.OutputNote(7, new FileRef(3, 99), true));
    note.outputs().put(new OutputKey("job2", "ü 1", TrackSet.AUDIO), new ResumeNote.OutputNote(8, null, false));
    assertThat(ResumeNote.decode(note.encode(4000))).isEqualTo(note);
  }

  @Test
  void leavesOutWhatDoesNotFit() {
    ResumeNote note = ResumeNote.empty();
    for (int i = 0; i < 100; i++) {
      note.endedJobs().put("a-long-job-identifier-" + i, (long) i);
    }
    String text = note.encode(300);
    assertThat(text.length()).isLessThanOrEqualTo(300);
    assertThat(ResumeNote.decode(text).endedJobs()).isNotEmpty().hasSizeLessThan(100);
    assertThat(ResumeNote.decode(null).outputs()).isEmpty();
  }
}
