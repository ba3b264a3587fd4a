package dev.gantry.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks that hold across threads and processes: an in-JVM {@link ReentrantLock} per lock
 * file (shared by every {@link Store} of this JVM, since a {@link FileLock} belongs to the whole
 * process) plus a {@link FileChannel#lock()} on the file for other processes. Reentrant within a
 * thread. Lock files are never deleted, because deleting a lock file would let two processes lock
 * two different files of the same name.
 */
final class FileLocks {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private FileLocks() {}

  /** A body run while a lock is held. */
  @FunctionalInterface
  interface Body<T, E extends Exception> {
    T run() throws E;
  }

  /** Runs {@code body} holding the lock on {@code lockFile} (absolute and normalised). */
  static <T, E extends Exception> T with(Path lockFile, Body<T, E> body) throws E, IOException {
    ReentrantLock local = IN_JVM.computeIfAbsent(lockFile, k -> new ReentrantLock());
    try {
      local.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for lock " + lockFile);
    }
    try {
      if (local.getHoldCount() > 1) {
        return body.run();
      }
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return body.run();
      }
    } finally {
      local.unlock();
    }
  }
}
