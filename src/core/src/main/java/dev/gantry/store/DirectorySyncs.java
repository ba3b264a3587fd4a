package dev.gantry.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The directory syncs of one {@link Store}: done at once, or, while a batch is open (see
 * {@link Store#deferDirectorySyncs}), once per directory when the last open batch ends.
 */
final class DirectorySyncs {
  private final AtomicInteger batches = new AtomicInteger();
  private final Set<Path> unsynced = ConcurrentHashMap.newKeySet();

  /** Opens a batch; see {@link Store#deferDirectorySyncs}. */
  Store.SyncBatch defer() {
    batches.incrementAndGet();
    return () -> {
      if (batches.decrementAndGet() == 0) {
        for (Path dir : List.copyOf(unsynced)) {
          unsynced.remove(dir);
          AtomicFiles.syncDirectory(dir);
        }
      }
    };
  }

  /** Syncs {@code dir}, a directory a file was just renamed into, now or at the end of the open batch. */
  void sync(Path dir) {
    if (batches.get() > 0) {
      unsynced.add(dir);
    } else {
      AtomicFiles.syncDirectory(dir);
    }
  }
}
