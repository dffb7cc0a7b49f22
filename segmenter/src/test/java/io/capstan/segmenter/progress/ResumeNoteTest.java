package io.capstan.segmenter.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.segmenter.job.OutputKey;
import io.capstan.segmenter.job.OutputKind;
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
  void keepsTheKindAndStateOfMp4AndSnapshotOutputs() {
    ResumeNote note = ResumeNote.empty();
    note.outputs().put(new OutputKey("j", "", TrackSet.AV, OutputKind.MP4), new ResumeNote.OutputNote(5, null, false, 3));
    note.outputs().put(new OutputKey("j", "7", TrackSet.VIDEO, OutputKind.SNAPSHOT),
        new ResumeNote.OutputNote(9, null, false, Long.MIN_VALUE));
    assertThat(ResumeNote.decode(note.encode(4000))).isEqualTo(note);
  }

  @Test
  void readsANoteOfTheFirstVersion() {
    ResumeNote note = ResumeNote.decode("r1;e,done,4;o,job,7,AUDIO,8,2,40,1");
    assertThat(note.endedJobs()).containsEntry("done", 4L);
    assertThat(note.outputs()).containsEntry(new OutputKey("job", "7", TrackSet.AUDIO),
        new ResumeNote.OutputNote(8, new FileRef(2, 40), true, 0));
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

  @Test
  void aNoteTooLongAsTextIsCompressedWholeRatherThanCut() {
    ResumeNote note = ResumeNote.empty();
    for (int i = 0; i < 60; i++) {
      String sid = String.format("%032x", i * 7919L);
      note.outputs().put(new OutputKey(sid, "", TrackSet.AV), new ResumeNote.OutputNote(1000L + i,
          new FileRef(i % 6, 5000L + i), false));
      note.outputs().put(new OutputKey(sid, "", TrackSet.AV, OutputKind.MP4), new ResumeNote.OutputNote(1000L + i,
          null, false, 2));
    }
    String text = note.encode(4000);
    assertThat(text.length()).isLessThanOrEqualTo(4000);
    assertThat(ResumeNote.decode(text)).isEqualTo(note);
  }
}
