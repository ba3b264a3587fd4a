package dev.gantry.builder;

import dev.gantry.exec.MountSources;
import dev.gantry.oci.Digest;
import dev.gantry.plan.RunMount;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The persistent directories of {@code RUN --mount=type=cache}: one per id in
 * {@code <store>/v1/cache-mounts/<sha256 of id>}, created (mode, owner, optional seed) on first
 * use and kept across builds. Sharing follows BuildKit: {@code shared} users run together,
 * {@code locked} users run one at a time (an exclusive store lock, across processes), and a
 * {@code private} user that finds the directory in use in this process gets a fresh one.
 */
final class CacheMounts {
  private static final Map<Path, ReentrantReadWriteLock> IN_USE = new ConcurrentHashMap<>();

  private CacheMounts() {}

  /** The directory of cache {@code id} in {@code store}. */
  static Path directory(Store store, String id) {
    String hash = Digest.sha256(id.getBytes(StandardCharsets.UTF_8)).hex();
    return store.root().resolve("v1").resolve("cache-mounts").resolve(hash);
  }

  /** Something to run while a cache directory is held. */
  interface Body<T> {
    T run(Path dir) throws IOException, StepException;
  }

  /** Provides the seed of a new cache directory (a stage's files), or null for an empty one. */
  interface Seed {
    Path source() throws IOException, StepException;
  }

  /**
   * Runs {@code body} with the directory of {@code m} held as its sharing mode says; {@code scratch}
   * holds fresh private directories.
   */
  static <T> T with(Store store, RunMount.Cache m, Seed seed, Path scratch, Body<T> body)
      throws IOException, StepException {
    Path dir = directory(store, m.id());
    ReentrantReadWriteLock rw = IN_USE.computeIfAbsent(dir, d -> new ReentrantReadWriteLock());
    switch (m.sharing()) {
      case "private": {
        if (!rw.writeLock().tryLock()) {
          Path fresh = Files.createTempDirectory(scratch, "cache");
          create(fresh, m, seed);
          return body.run(fresh.resolve("dir"));
        }
        return held(rw.writeLock(), () -> body.run(ensure(store, dir, m, seed, scratch)));
      }
      case "locked": {
        rw.writeLock().lock();
        try {
          return store.withLock("cache-mount-" + dir.getFileName(), () -> body.run(ensure(store, dir, m, seed, scratch)));
        } catch (IOException | StepException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        } finally {
          rw.writeLock().unlock();
        }
      }
      default: {
        rw.readLock().lock();
        return held(rw.readLock(), () -> body.run(ensure(store, dir, m, seed, scratch)));
      }
    }
  }

  private interface Action<T> {
    T run() throws IOException, StepException;
  }

  private static <T> T held(Lock lock, Action<T> action) throws IOException, StepException {
    try {
      return action.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The cache directory, created when it does not exist yet: made in a temporary directory in the
   * build's {@code scratch} (so that a build killed meanwhile leaves nothing in the store that its
   * work directory's removal does not take), then renamed into place.
   */
  private static Path ensure(Store store, Path dir, RunMount.Cache m, Seed seed, Path scratch) throws IOException, StepException {
    if (Files.isDirectory(dir)) {
      store.markUsed(dir, null);
      return dir;
    }
    Files.createDirectories(dir.getParent());
    Path tmp = Files.createTempDirectory(scratch, "cache-new");
    create(tmp, m, seed);
    try {
      Files.move(tmp.resolve("dir"), dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another build created it first: use theirs
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    } finally {
      MountSources.delete(tmp);
    }
    store.markUsed(dir, null);
    return dir;
  }

  /** Makes {@code parent/dir}: the seed's copy, or an empty directory with the mount's mode and owner. */
  private static void create(Path parent, RunMount.Cache m, Seed seed) throws IOException, StepException {
    Path dir = parent.resolve("dir");
    Path src = seed == null ? null : seed.source();
    if (src != null && Files.isDirectory(src)) {
      MountSources.copyTree(src, dir);
      return;
    }
    Files.createDirectory(dir);
    Files.setAttribute(dir, "unix:mode", (int) m.mode());
    Files.setAttribute(dir, "unix:uid", (int) m.uid());
    Files.setAttribute(dir, "unix:gid", (int) m.gid());
  }
}
