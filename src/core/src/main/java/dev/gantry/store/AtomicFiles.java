package dev.gantry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** Helpers that make a file appear under its final name complete or not at all. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** A fresh, unique temporary file name in {@code tmpDir} (the file is not created). */
  static Path tempName(Path tmpDir, String kind) {
    return tmpDir.resolve(kind + "-" + randomName() + ".tmp");
  }

  /**
   * 64 random bits as a name part, unique in practice (the store's names are not secrets). Not a
   * UUID or a {@code SecureRandom}: seeding a secure source costs every build about 9 ms.
   */
  static String randomName() {
    return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /**
   * Writes {@code bytes} to a temporary file, fsyncs it, stamps it with {@code mtime}, and renames it
   * over {@code target} in one step, then hands the directory to {@code syncDir} (which syncs it, at
   * once or at the end of a batch): the file survives a crash.
   */
  static void write(Path tmpDir, Path target, byte[] bytes, FileTime mtime, Consumer<Path> syncDir)
      throws IOException {
    write(tmpDir, target, bytes, mtime, true, syncDir);
  }

  /**
   * Like {@link #write(Path, Path, byte[], FileTime, Consumer)} without the syncs, for what the store can
   * lose in a crash: a cache record, a layer index or a use marker that a reader finds malformed or
   * missing is a cache miss (readers verify), never a wrong result. Readers still never see a half
   * written file (the rename is atomic), and a build writes dozens of these, each sync a disk
   * round trip.
   */
  static void writeCache(Path tmpDir, Path target, byte[] bytes, FileTime mtime) throws IOException {
    write(tmpDir, target, bytes, mtime, false, dir -> { });
  }

  private static void write(Path tmpDir, Path target, byte[] bytes, FileTime mtime, boolean durable,
      Consumer<Path> syncDir)
      throws IOException {
    Path tmp = tempName(tmpDir, "file");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (durable) {
          ch.force(true);
        }
      }
      Files.setLastModifiedTime(tmp, mtime);
      move(tmp, target, syncDir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code from} to {@code to} atomically (replacing {@code to}) and syncs the directory. */
  static void move(Path from, Path to) throws IOException {
    move(from, to, AtomicFiles::syncDirectory);
  }

  /** Renames {@code from} to {@code to} atomically (replacing {@code to}); {@code syncDir} gets the directory. */
  static void move(Path from, Path to, Consumer<Path> syncDir) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the store's file system cannot rename atomically: " + to, e);
    }
    syncDir.accept(to.getParent());
  }

  /** Flushes a directory's entries to disk where the platform allows it (a no-op elsewhere). */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open or sync directories; the rename itself is still atomic.
    }
  }

  /** Sets a file's modification time, the store's record of last use; failures are ignored. */
  static void touch(Path file, FileTime time) {
    try {
      Files.setLastModifiedTime(file, time);
    } catch (IOException e) {
      // A file of another user or one just removed: last-use times are only a hint for gc.
    }
  }

  /** Whether {@code file} exists and holds exactly {@code bytes}. */
  static boolean sameContent(Path file, byte[] bytes) throws IOException {
    try {
      return Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes);
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
