package io.capstan.uploader.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileKind;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class JobUploadsTest {

  static {
    io.capstan.schemas.serde.AvroTrust.install();
  }

  private static FileChunk chunk(String name, FileKind kind) {
    return FileChunk.newBuilder().setJobId("sid").setFileName(name).setKind(kind).setData(ByteBuffer.allocate(0))
        .setStartUtcMs(1_700_000_000_000L).build();
  }

  @Test
  void theFileListOfAnHlsAndMp4RecordingHasItsMp4() {
    JobUploads job = new JobUploads(null);
    job.stored(chunk("sid_c_20261124085301000.ts", FileKind.SLICE), false);
    job.stored(chunk("sid_c.m3u8", FileKind.PLAYLIST), false);
    job.stored(chunk("sid_c_20261124085301000_0.mp4", FileKind.MP4), false);
    assertThat(job.fileList()).extracting(FileEntry::getFileName)
        .containsExactly("sid_c.m3u8", "sid_c_20261124085301000_0.mp4");
    assertThat(job.snapshotStored()).isFalse();
  }

  @Test
  void aStoredSnapshotCountsAsRecordedMedia() {
    JobUploads job = new JobUploads(null);
    job.stored(chunk("sid_c__uid_s_7__uid_e_video_20261124085301000.jpg", FileKind.SNAPSHOT), false);
    assertThat(job.fileList()).isEmpty();
    assertThat(job.snapshotStored()).isTrue();
  }
}
