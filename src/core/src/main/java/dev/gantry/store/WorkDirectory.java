package dev.gantry.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private work directory of one build, {@code <store>/build-N}, and the lock that says its build
 * is alive: the directory is made under a hidden name, its {@code .lock} file locked, and only then
 * renamed, so a work directory whose lock is free belongs to a build that died. {@link #abandoned}
 * hands those to the next build, locked, for cleaning; a directory without a lock file (left by an
 * older version, or by a build killed in the instant between making and locking it) gets one and
 * counts as abandoned once it is {@link #UNLOCKED_GRACE} old. A directory of this process is never opened by
 * the scan, since closing any descriptor of a locked file would drop this process's lock on it.
 * {@link #close} releases the lock; the owner deletes the directory before.
 */
public final class WorkDirectory implements AutoCloseable {
  /** How old a work directory without a lock file must be before it counts as abandoned. */
  static final Duration UNLOCKED_GRACE = Duration.ofMinutes(10);
  private static final String PREFIX = "build-";
  private static final String LOCK = ".lock";
  private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();
  private final Path dir;
  private final FileChannel lock;

  private WorkDirectory(Path dir, FileChannel lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /** A new work directory in {@code store}, locked until {@link #close}. */
  public static WorkDirectory create(Store store) throws IOException {
    String name = PREFIX + AtomicFiles.randomName();
    Path dir = store.root().resolve(name);
    Path staging = store.root().resolve("." + name);
    OWNED.add(dir);
    OWNED.add(staging);
    FileChannel ch = null;
    try {
      Files.createDirectory(staging);
      ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ch.lock();
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return new WorkDirectory(dir, ch);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      OWNED.remove(dir);
      throw e;
    } finally {
      OWNED.remove(staging);
    }
  }

  /**
   * The work directories of {@code store} whose build died, each locked by the returned object (so
   * that two builds never clean the same one) until it is closed.
   */
  public static List<WorkDirectory> abandoned(Store store) throws IOException {
    List<WorkDirectory> out = new ArrayList<>();
    Instant cutoff = Instant.now().minus(UNLOCKED_GRACE);
    for (Path p : Listing.list(store.root())) {
      String name = p.getFileName().toString();
      if (!(name.startsWith(PREFIX) || name.startsWith("." + PREFIX))
          || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !OWNED.add(p)) {
        continue;
      }
      FileChannel ch = claim(p, cutoff);
      if (ch == null) {
        OWNED.remove(p);
      } else {
        out.add(new WorkDirectory(p, ch));
      }
    }
    return out;
  }

  /**
   * The lock of {@code dir}, taken (a directory older than {@code cutoff} without a lock file gets
   * one); null when it is held elsewhere, or missing on a younger directory.
   */
  private static FileChannel claim(Path dir, Instant cutoff) throws IOException {
    Path file = dir.resolve(LOCK);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      try {
        if (Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(cutoff)) {
          return null;
        }
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (NoSuchFileException gone) {
        return null;
      }
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      return null;
    }
    return ch;
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** Releases the lock (the directory should be gone by now). */
  @Override
  public void close() throws IOException {
    try {
      if (lock != null) {
        lock.close();
      }
    } finally {
      OWNED.remove(dir);
    }
  }

  @Override
  public String toString() {
    return "WorkDirectory[" + dir + "]";
  }
}
