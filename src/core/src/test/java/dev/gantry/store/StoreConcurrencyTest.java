package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConcurrencyTest {
  private static final int THREADS = 8;

  @TempDir Path root;

  /** Reads, increments and rewrites a counter file: correct only under mutual exclusion. */
  static int incrementCounter(Path root) throws IOException {
    Path file = root.resolve("counter");
    int value = Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
    Thread.yield();
    Files.writeString(file, Integer.toString(value + 1));
    return value + 1;
  }

  @Test
  void eightThreadsWritingTheSameBlobCreateItOnce() throws Exception {
    Store store = Store.open(root);
    byte[] content = new byte[3 << 20];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i ^ (i >> 8));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<StoredBlob>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        results.add(pool.submit(() -> {
          start.await();
          try (BlobWriter w = store.newBlobWriter()) {
            for (int off = 0; off < content.length; off += 64 * 1024) {
              w.write(content, off, Math.min(64 * 1024, content.length - off));
            }
            return w.commit();
          }
        }));
      }
      start.countDown();
      int created = 0;
      for (Future<StoredBlob> f : results) {
        StoredBlob b = f.get(60, TimeUnit.SECONDS);
        assertThat(b.digest()).isEqualTo(Digest.sha256(content));
        created += b.created() ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.stats().blobsWritten()).isEqualTo(1);
    assertThat(store.stats().blobsReused()).isEqualTo(THREADS - 1);
    assertThat(store.readBlob(Digest.sha256(content))).isEqualTo(content);
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
    assertThat(store.verify().ok()).isTrue();
  }

  @Test
  void withLockExcludesThreadsOfTwoStoreInstances() throws Exception {
    Store a = Store.open(root);
    Store b = Store.open(root);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Store s = t % 2 == 0 ? a : b;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            s.withLock("counter", () -> s.withLock("counter", () -> incrementCounter(root)));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readString(root.resolve("counter"))).isEqualTo(Integer.toString(THREADS * 50));
  }

  @Test
  void withLockPropagatesExceptionsAndReleasesTheLock() throws Exception {
    Store store = Store.open(root);
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> store.withLock("step", () -> {
      throw boom;
    })).isSameAs(boom);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(() -> store.withLock("step", () -> "acquired"))
          .get(10, TimeUnit.SECONDS)).isEqualTo("acquired");
    } finally {
      other.shutdownNow();
    }
    assertThat(store.root().resolve("v1/locks/step.lock")).exists();
  }

  @Test
  void twoProcessesShareOneStore() throws Exception {
    int count = 40;
    Store.open(root);
    Path go = root.resolve("go");
    Process p1 = spawn("write", root.toString(), go.toString(), "one", Integer.toString(count));
    Process p2 = spawn("write", root.toString(), go.toString(), "two", Integer.toString(count));
    try (BufferedReader out1 = reader(p1); BufferedReader out2 = reader(p2)) {
      assertThat(out1.readLine()).isEqualTo("ready");
      assertThat(out2.readLine()).isEqualTo("ready");
      Files.createFile(go);
      String summary1 = out1.readLine();
      String summary2 = out2.readLine();
      assertThat(p1.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p1.exitValue()).isZero();
      assertThat(p2.exitValue()).isZero();
      // Each shared blob was created by exactly one of the two processes.
      assertThat(created(summary1) + created(summary2)).isEqualTo(count);
    } finally {
      p1.destroyForcibly();
      p2.destroyForcibly();
    }

    Store store = Store.open(root);
    for (int i = 0; i < count; i++) {
      assertThat(store.hasBlob(Digest.sha256(StoreProcessMain.shared(i)))).isTrue();
    }
    assertThat(store.blobs()).hasSize(3 * count + 2);
    assertThat(store.tags()).containsOnlyKeys("one", "two");
    assertThat(store.lookup(Digest.sha256("key one"))).isPresent();
    assertThat(store.lookup(Digest.sha256("key two"))).isPresent();
    assertThat(Files.readString(root.resolve("counter"))).isEqualTo(Integer.toString(2 * count));
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
    VerifyReport report = store.verify();
    assertThat(report.checked()).isEqualTo(3 * count + 2);
    assertThat(report.ok()).isTrue();
  }

  @Test
  void crashedWriterLeavesNoBlobAndGcRemovesItsTemporaryFile() throws Exception {
    Store store = Store.open(root);
    Process p = spawn("abandon", root.toString());
    try (BufferedReader out = reader(p)) {
      assertThat(out.readLine()).isEqualTo("written");
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    Path tmp = store.root().resolve("v1/tmp");
    List<Path> left = Listing.list(tmp);
    assertThat(left).hasSize(1);
    assertThat(Files.size(left.get(0))).isEqualTo(1 << 20);
    assertThat(store.blobs()).isEmpty();
    assertThat(store.hasBlob(Digest.sha256(new byte[1 << 20]))).isFalse();

    // Young temporary files may belong to a writer that is just starting: kept.
    assertThat(store.gc(Long.MAX_VALUE).leftoversRemoved()).isZero();
    assertThat(Listing.list(tmp)).hasSize(1);

    Files.setLastModifiedTime(left.get(0),
        FileTime.from(Instant.now().minus(GarbageCollector.TEMP_GRACE).minus(Duration.ofMinutes(1))));
    assertThat(store.gc(Long.MAX_VALUE).leftoversRemoved()).isEqualTo(1);
    assertThat(Listing.list(tmp)).isEmpty();
  }

  @Test
  void gcKeepsTheTemporaryFileOfALiveWriterHoweverOld() throws Exception {
    Store store = Store.open(root);
    try (BlobWriter writer = store.newBlobWriter()) {
      writer.write(new byte[] {1, 2, 3});
      writer.flush();
      Path temp = Listing.list(store.root().resolve("v1/tmp")).get(0);
      Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

      assertThat(store.gc(0).leftoversRemoved()).isZero();
      assertThat(writer.commit().created()).isTrue();
    }
    assertThat(store.hasBlob(Digest.sha256(new byte[] {1, 2, 3}))).isTrue();
  }

  @Test
  void aLeaseOfAnotherProcessProtectsWhatItUsesUntilThatProcessDies() throws Exception {
    Store store = Store.open(root);
    Digest old = store.putBlob(new byte[] {1}).digest();
    Files.setLastModifiedTime(store.blobPath(old), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Process p = spawn("lease", root.toString());
    try (BufferedReader out = reader(p)) {
      assertThat(out.readLine()).isEqualTo("leased");
      Digest fresh = store.putBlob(new byte[] {2}).digest();

      GcReport running = store.prune(PrunePolicy.allUntagged());
      assertThat(running.buildsRunning()).isTrue();
      assertThat(running.blobsRemoved()).containsExactly(old);
      assertThat(store.hasBlob(fresh)).isTrue();

      p.destroyForcibly();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      GcReport after = store.prune(PrunePolicy.allUntagged());
      assertThat(after.buildsRunning()).isFalse();
      assertThat(after.blobsRemoved()).containsExactly(fresh);
      assertThat(Listing.list(store.root().resolve("v1/leases"))).isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }

  static Process spawn(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreProcessMain.class.getName());
    command.addAll(List.of(args));
    // Errors of the child show in the test output.
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static int created(String summary) {
    assertThat(summary).startsWith("shared-created=");
    return Integer.parseInt(summary.substring("shared-created=".length()));
  }
}
