package dev.gantry.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Files an output writes for its user: created as any command creates a file (permissions from the
 * process's umask, unlike {@code Files.createTempFile}'s owner-only mode), written under a temporary
 * name beside the target, synced and renamed over it, so the target is complete or absent.
 */
final class OutputFiles {
  private OutputFiles() {}

  /** Something that writes to a stream. */
  interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Creates a new empty file with a unique temporary name in {@code dir}, permissions as the umask gives. */
  static Path newTemp(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(".tmp-" + UUID.randomUUID() + "-" + name);
    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    return tmp;
  }

  /** Writes {@code file} atomically through {@code writer}. */
  static void write(Path file, StreamWriter writer) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = newTemp(abs.getParent(), abs.getFileName().toString());
    try {
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16)) {
        writer.writeTo(out);
      }
      commit(tmp, abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Syncs {@code tmp} and renames it over {@code target} (atomically where the file system can). */
  static void commit(Path tmp, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
