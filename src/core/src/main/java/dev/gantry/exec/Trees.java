package dev.gantry.exec;

import dev.gantry.layer.SafeExtractor;
import java.io.IOException;
import java.nio.file.Path;

/** Deletes directory trees without following symlinks, at any depth. */
final class Trees {
  private Trees() {}

  /** Deletes {@code p} and everything under it (symlinks are removed, never followed); absent is fine. */
  static void delete(Path p) throws IOException {
    SafeExtractor.deleteTree(p);
  }
}
