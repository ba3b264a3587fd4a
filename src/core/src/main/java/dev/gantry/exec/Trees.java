package dev.gantry.exec;

import dev.gantry.layer.SafeExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Deletes directory trees without following symlinks, at any depth; tells empty directories. */
final class Trees {
  private Trees() {}

  /** Deletes {@code p} and everything under it (symlinks are removed, never followed); absent is fine. */
  static void delete(Path p) throws IOException {
    SafeExtractor.deleteTree(p);
  }

  /** True when directory {@code dir} has no entries; false when it has some or cannot be read. */
  static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
