package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive thousands of directories deep (paths far beyond PATH_MAX) extracts in time linear in
 * its size and is deleted again without recursion.
 */
class DeepArchiveTest {
  static final int DEPTH = 5000;
  @TempDir Path tmp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fiveThousandLevelsExtractInSecondsAndDelete() throws IOException {
    HostileTars t = new HostileTars();
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < DEPTH; i++) {
      name.append("d/");
      t.paxNamedDir(name.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    byte[] tar = t.paxNamedFile((name + "leaf").getBytes(java.nio.charset.StandardCharsets.US_ASCII), "deep").bytes();
    Path root = tmp.resolve("root");
    long start = System.nanoTime();
    SafeExtractor.Result r = SafeExtractor.create().extract(new ByteArrayInputStream(tar), root);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.written()).isEqualTo(DEPTH + 1);
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    try (DirHandle d = DirHandle.open(root)) {
      DirHandle cur = d.openDir("d");
      for (int i = 1; i < DEPTH; i++) {
        DirHandle next = cur.openDir("d");
        cur.close();
        cur = next;
      }
      assertThat(cur.list()).containsExactly("leaf");
      cur.close();
    }
    start = System.nanoTime();
    SafeExtractor.deleteTree(root.resolve("d"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(Files.list(root)).isEmpty();
  }
}
