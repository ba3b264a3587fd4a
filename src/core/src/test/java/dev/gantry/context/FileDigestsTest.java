package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content digests and the persistent, racy-timestamp-safe stat cache. */
class FileDigestsTest {
  private static final Duration GRANULARITY = Duration.ofSeconds(2);

  @TempDir Path temp;

  /** A clock far enough ahead that files written now are no longer racy. */
  private static long later() {
    Instant now = Instant.now().plusSeconds(60);
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  private List<Path> files(int n) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("ctx"));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Files.writeString(dir.resolve("f" + i), "content " + i));
    }
    return out;
  }

  @Test
  void digestIsTheSha256OfTheContent() throws IOException {
    Path f = Files.write(temp.resolve("f"), new byte[300_000]);

    assertThat(FileDigests.sha256(f)).isEqualTo(Digest.sha256(new byte[300_000]));
    assertThat(FileDigests.withCache(temp.resolve("cache")).digest(f))
        .isEqualTo(Digest.sha256(new byte[300_000]));
  }

  @Test
  void anUnchangedContextIsNotReadAgainAfterReload() throws IOException {
    List<Path> files = files(5);
    Path cacheDir = temp.resolve("cache");
    FileDigests first = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    List<Digest> digests = new ArrayList<>();
    for (Path f : files) {
      digests.add(first.digest(f));
    }
    first.save();
    assertThat(first.contentReads()).isEqualTo(5);

    FileDigests second = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    for (int i = 0; i < files.size(); i++) {
      assertThat(second.digest(files.get(i))).isEqualTo(digests.get(i));
    }

    assertThat(second.contentReads()).as("files read on the second pass").isZero();
    assertThat(second.cache().size()).isEqualTo(5);
  }

  @Test
  void racyEntriesAreHashedAgainNextTime() throws IOException {
    List<Path> files = files(3);
    Path cacheDir = temp.resolve("cache");
    FileDigests first = FileDigests.withCache(cacheDir, GRANULARITY);
    for (Path f : files) {
      first.digest(f);
    }
    first.save();

    FileDigests second = FileDigests.withCache(cacheDir, GRANULARITY);
    for (Path f : files) {
      second.digest(f);
    }

    assertThat(second.contentReads()).as("files written within the granularity are racy").isEqualTo(3);
  }

  @Test
  void onAFilesystemWithSubSecondTimestampsAFileIsRacyOnlyBriefly() throws IOException {
    List<Path> files = files(2);
    long ctime = ((java.nio.file.attribute.FileTime) Files.getAttribute(files.get(0), "unix:ctime"))
        .to(TimeUnit.NANOSECONDS);
    org.junit.jupiter.api.Assumptions.assumeTrue(ctime % 1_000_000_000L != 0, "whole-second timestamps here");
    long changed = Math.max(ctime, Files.getLastModifiedTime(files.get(0)).to(TimeUnit.NANOSECONDS));
    Path cacheDir = temp.resolve("cache");
    // read 50 ms after the change: within the fine granularity, racy
    FileDigests soon = FileDigests.withCache(cacheDir, GRANULARITY, () -> changed + 50_000_000L);
    soon.digest(files.get(0));
    soon.save();
    FileDigests again = FileDigests.withCache(cacheDir, GRANULARITY, () -> changed + 50_000_000L);
    again.digest(files.get(0));
    assertThat(again.contentReads()).isEqualTo(1);
    // read 150 ms after it: trusted, though well within the 2 s of whole-second filesystems
    FileDigests later = FileDigests.withCache(temp.resolve("cache2"), GRANULARITY, () -> changed + 150_000_000L);
    later.digest(files.get(0));
    later.save();
    FileDigests reread = FileDigests.withCache(temp.resolve("cache2"), GRANULARITY, () -> changed + 150_000_000L);
    reread.digest(files.get(0));
    assertThat(reread.contentReads()).isZero();
  }

  @Test
  void aChangedFileIsHashedAgainAndGetsItsNewDigest() throws IOException {
    Path f = files(1).get(0);
    Path cacheDir = temp.resolve("cache");
    FileDigests first = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    Digest old = first.digest(f);
    first.save();
    Files.writeString(f, "content 0 but longer");

    FileDigests second = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    Digest now = second.digest(f);

    assertThat(now).isNotEqualTo(old).isEqualTo(Digest.sha256("content 0 but longer"));
    assertThat(second.contentReads()).isEqualTo(1);
  }

  @Test
  void savingReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    List<Path> files = files(2);
    Path cacheDir = temp.resolve("cache");
    FileDigests digests = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    digests.digest(files.get(0));
    digests.save();
    digests.digest(files.get(1));
    digests.save();

    try (Stream<Path> left = Files.list(cacheDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(FileDigests.CACHE_FILE);
    }
    assertThat(StatCache.load(cacheDir.resolve(FileDigests.CACHE_FILE), 0).size()).isEqualTo(2);
  }

  @Test
  void aDamagedCacheFileLoadsAsEmpty() throws IOException {
    Path f = files(1).get(0);
    Path cacheDir = Files.createDirectories(temp.resolve("cache"));
    Files.writeString(cacheDir.resolve(FileDigests.CACHE_FILE), "not a cache");

    FileDigests digests = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);

    assertThat(digests.cache().size()).isZero();
    assertThat(digests.digest(f)).isEqualTo(Digest.sha256("content 0"));
    assertThat(digests.contentReads()).isEqualTo(1);
  }

  @Test
  void deletedFilesAreDroppedFromTheCacheOnSave() throws IOException {
    List<Path> files = files(2);
    Path cacheDir = temp.resolve("cache");
    FileDigests digests = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    digests.digest(files.get(0));
    digests.digest(files.get(1));
    Files.delete(files.get(1));

    digests.save();

    assertThat(StatCache.load(cacheDir.resolve(FileDigests.CACHE_FILE), 0).size()).isEqualTo(1);
  }

  @Test
  void concurrentDigestsAndSavesStayConsistent() throws Exception {
    List<Path> files = files(20);
    Path cacheDir = temp.resolve("cache");
    FileDigests digests = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (Path f : files) {
            digests.digest(f);
            digests.save();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(errors).isEmpty();
    FileDigests reloaded = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    for (Path f : files) {
      reloaded.digest(f);
    }
    assertThat(reloaded.contentReads()).isZero();
  }

  @Test
  void aJvmKeepsAStoresCacheInMemoryUntilItsFileChanges() throws IOException {
    List<Path> files = files(3);
    Path cacheDir = temp.resolve("kept");
    FileDigests first = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    for (Path f : files) {
      first.digest(f);
    }
    first.save();

    FileDigests second = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    assertThat(second.cache()).as("the saved cache, not a fresh load").isSameAs(first.cache());
    Files.writeString(files.get(0), "changed");
    assertThat(second.digest(files.get(0))).as("entries are still checked against the file's stat data")
        .isEqualTo(Digest.sha256("changed"));
    assertThat(second.contentReads()).isEqualTo(1);
    second.save();

    // another writer (another process, say) replaces the file: the next build loads it
    StatCache other = StatCache.load(cacheDir.resolve(FileDigests.CACHE_FILE), GRANULARITY.toNanos());
    other.put("/elsewhere", StatCache.Key.of(Stat.of(files.get(1), "f1")), later(), Digest.sha256("x"));
    other.save();
    FileDigests third = FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later);
    assertThat(third.cache()).isNotSameAs(first.cache());
    assertThat(third.cache().size()).isEqualTo(4);

    // a cache with unsaved entries (a build that failed before saving) is not handed on
    third.digest(Files.writeString(temp.resolve("ctx/new"), "new"));
    assertThat(FileDigests.withCache(cacheDir, GRANULARITY, FileDigestsTest::later).cache())
        .isNotSameAs(third.cache());
  }

  @Test
  void aSecondCallerForAFileBeingReadWaitsForThatReadInsteadOfReadingAgain() throws Exception {
    Path file = files(1).get(0);
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // the clock is asked once per read, as it starts: the first read stops there until released
    FileDigests digests = FileDigests.withCache(temp.resolve("shared"), GRANULARITY, () -> {
      reading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return later();
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Digest> first = pool.submit(() -> digests.digest(file));
      assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
      Thread[] second = new Thread[1];
      Future<Digest> other = pool.submit(() -> {
        second[0] = Thread.currentThread();
        return digests.digest(file);
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((second[0] == null || second[0].getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(second[0].getState()).as("the second caller waits for the first read").isEqualTo(Thread.State.WAITING);
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Digest.sha256("content 0"));
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(Digest.sha256("content 0"));
      assertThat(digests.contentReads()).as("one read for both").isEqualTo(1);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
