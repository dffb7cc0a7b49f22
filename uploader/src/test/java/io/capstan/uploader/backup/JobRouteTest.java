package io.capstan.uploader.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRouteTest {

  private static BackupFile file(String name) {
    return new BackupFile("j", "j/" + name, null, name);
  }

  @Test
  void aJobUsesTheBackupAfterTheThresholdAndWhileAnythingIsOwed() throws Exception {
    JobRoute route = new JobRoute("j");
    Duration after = Duration.ofSeconds(60);
    assertThat(route.toBackup(1_000, after)).isFalse();
    route.primaryFailed(1_000);
    route.primaryFailed(30_000); // the first failure counts
    assertThat(route.toBackup(60_999, after)).isFalse();
    assertThat(route.toBackup(61_000, after)).isTrue();
    route.owe(file("a.ts"));
    route.primaryOk();
    assertThat(route.toBackup(61_000, after)).isTrue(); // still owes a.ts: order first
    assertThat(route.copied(file("a.ts"), route.version("j/a.ts"), f -> { })).isTrue();
    assertThat(route.toBackup(61_000, after)).isFalse();
    assertThat(route.backedUpAny()).isTrue();
  }

  @Test
  void aPlaylistWrittenAgainIsOwedOnceAfterTheSlicesItNames() {
    JobRoute route = new JobRoute("j");
    route.owe(file("s0.ts"));
    route.owe(file("p.m3u8"));
    route.owe(file("s1.ts"));
    route.owe(file("p.m3u8"));
    List<String> order = new ArrayList<>();
    for (BackupFile f; (f = route.head()) != null; ) {
      order.add(f.primaryKey());
      route.copied(f, route.version(f.backupKey()), x -> { });
    }
    assertThat(order).containsExactly("s0.ts", "s1.ts", "p.m3u8");
  }

  @Test
  void aCopyOverTakenByANewerVersionIsNotDeletedNorForgotten() throws Exception {
    JobRoute route = new JobRoute("j");
    route.writeLast("j/p.m3u8", () -> { });
    route.owe(file("p.m3u8"));
    int read = route.version("j/p.m3u8");
    route.writeLast("j/p.m3u8", () -> { }); // the delivery completes a newer playlist meanwhile
    route.owe(file("p.m3u8"));
    List<BackupFile> deleted = new ArrayList<>();
    assertThat(route.copied(file("p.m3u8"), read, deleted::add)).isFalse();
    assertThat(deleted).isEmpty();
    assertThat(route.head()).isEqualTo(file("p.m3u8"));
    assertThat(route.copied(file("p.m3u8"), route.version("j/p.m3u8"), deleted::add)).isTrue();
    assertThat(deleted).hasSize(1);
  }
}
