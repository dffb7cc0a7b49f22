package io.capstan.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanReaperTest {

  @Test
  void killsTheProcessesOfASessionWhoseOwnerIsGone(@TempDir Path root) throws Exception {
    Process deadOwner = new ProcessBuilder("true").start();
    deadOwner.waitFor(10, TimeUnit.SECONDS);
    Process orphan = new ProcessBuilder("sleep", "60").start();
    Path dir = Files.createDirectory(root.resolve(OrphanReaper.PREFIX + "1"));
    Files.write(dir.resolve(OrphanReaper.OWNER_FILE), List.of(
        deadOwner.pid() + " " + deadOwner.toHandle().info().startInstant().map(Object::toString).orElse("-"),
        orphan.pid() + " " + orphan.toHandle().info().startInstant().orElseThrow()));

    assertThat(OrphanReaper.reap(root)).isEqualTo(1);

    assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(dir).doesNotExist();
  }

  @Test
  void leavesTheSessionsOfALivingOwnerAlone(@TempDir Path root) throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      Path dir = Files.createDirectory(root.resolve(OrphanReaper.PREFIX + "2"));
      OrphanReaper.record(dir, List.of(child.toHandle()));
      Path starting = Files.createDirectory(root.resolve(OrphanReaper.PREFIX + "3")); // no owner file yet

      assertThat(OrphanReaper.reap(root)).isZero();

      assertThat(child.isAlive()).isTrue();
      assertThat(dir).exists();
      assertThat(starting).exists();
    } finally {
      child.destroyForcibly();
    }
  }
}
