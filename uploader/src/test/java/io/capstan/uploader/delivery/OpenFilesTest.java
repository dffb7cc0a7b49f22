package io.capstan.uploader.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OpenFilesTest {

  private final TopicPartition tp = new TopicPartition("capstan.files", 0);

  @Test
  void noOffsetIsCommittedPastTheFirstChunkOfAnUnfinishedFile() {
    OpenFiles files = new OpenFiles();
    assertThat(files.commitOffset(tp, 10)).isEqualTo(10);
    files.open(tp, new OpenFiles.Open("j1", "big.ts", "big.ts", 10, false));
    files.open(tp, new OpenFiles.Open("j2", "other.ts", "other.ts", 12, false));
    assertThat(files.commitOffset(tp, 14)).isEqualTo(10);
    files.close(tp, "j1", "big.ts");
    assertThat(files.commitOffset(tp, 15)).isEqualTo(12);
    assertThat(files.get(tp, "j2", "other.ts")).isNotNull();
    assertThat(files.commitOffset(new TopicPartition("capstan.files", 1), 3)).isEqualTo(3);
    assertThat(files.revoke(tp)).extracting(OpenFiles.Open::fileName).containsExactly("other.ts");
    assertThat(files.commitOffset(tp, 16)).isEqualTo(16);
  }
}
