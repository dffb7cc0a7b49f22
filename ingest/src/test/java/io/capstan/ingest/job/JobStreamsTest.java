package io.capstan.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.ingest.TestSpecs;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import org.junit.jupiter.api.Test;

class JobStreamsTest {

  @Test
  void aCompositeWithoutTranscodingTakesTheDefaultFrameRate() {
    JobSpec audioMix = TestSpecs.composite("mix", Pacing.FAST).setTranscoding(null).build();
    assertThat(JobStreams.compositeFps(audioMix)).isEqualTo(15);
    assertThat(JobStreams.of(audioMix, "1", "file:/tmp/a.m4a", null, true, false).fps()).isEqualTo(15);
  }

  @Test
  void individualJobsKeepEveryPicture() {
    assertThat(JobStreams.compositeFps(TestSpecs.individual("ind", Pacing.FAST).build())).isZero();
  }
}
