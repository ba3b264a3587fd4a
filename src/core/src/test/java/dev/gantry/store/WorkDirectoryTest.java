package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work directories and their locks: a live one is abandoned for no one, in this process or another,
 * and scanning it from its own process does not drop its lock; a closed one, and an old one without
 * a lock file, are abandoned, each to one claimant at a time.
 */
class WorkDirectoryTest {
  @TempDir Path tmp;

  @Test
  void aLiveWorkDirectoryIsAbandonedForNoOneAndTheScanKeepsItsLock() throws Exception {
    Store store = Store.open(tmp.resolve("store"));
    try (WorkDirectory live = WorkDirectory.create(store)) {
      assertThat(live.path().getFileName().toString()).startsWith("build-");
      assertThat(live.path().resolve(".lock")).exists();
      assertThat(WorkDirectory.abandoned(store)).isEmpty();
      assertThat(WorkDirectory.abandoned(store)).isEmpty();
      assertThat(abandonedInAnotherProcess(store)).isEmpty();
    }
  }

  @Test
  void aClosedOrOldUnlockedWorkDirectoryIsAbandonedToOneClaimantAtATime() throws Exception {
    Store store = Store.open(tmp.resolve("store"));
    Path dead;
    try (WorkDirectory w = WorkDirectory.create(store)) {
      dead = w.path();
    }
    Path old = Files.createDirectory(store.root().resolve("build-old"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(WorkDirectory.UNLOCKED_GRACE).minusSeconds(1)));
    Files.createDirectory(store.root().resolve("build-young"));

    List<WorkDirectory> claimed = WorkDirectory.abandoned(store);
    try {
      assertThat(claimed).extracting(WorkDirectory::path).containsExactlyInAnyOrder(dead, old);
      assertThat(WorkDirectory.abandoned(store)).isEmpty();
      assertThat(abandonedInAnotherProcess(store)).isEmpty();
    } finally {
      for (WorkDirectory w : claimed) {
        w.close();
      }
    }
    assertThat(abandonedInAnotherProcess(store)).containsExactlyInAnyOrder(dead.getFileName().toString(),
        "build-old");
  }

  private static List<String> abandonedInAnotherProcess(Store store) throws IOException, InterruptedException {
    Process p = StoreConcurrencyTest.spawn("abandoned", store.root().toString());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return out.lines().toList();
  }
}
