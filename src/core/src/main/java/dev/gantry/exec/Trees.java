package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Deletes directory trees without following symlinks. */
final class Trees {
  private Trees() {}

  /** Deletes {@code p} and everything under it (symlinks are removed, never followed); absent is fine. */
  static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isWritable(p)) {
        Files.setAttribute(p, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
      }
      List<Path> children;
      try (Stream<Path> s = Files.list(p)) {
        children = s.toList();
      }
      for (Path c : children) {
        delete(c);
      }
    }
    Files.delete(p);
  }
}
