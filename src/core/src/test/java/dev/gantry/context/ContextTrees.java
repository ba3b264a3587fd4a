package dev.gantry.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Test helper: builds a context directory from a tree description and prints walk results.
 *
 * <p>Tree lines: {@code dir/} is a directory, {@code name -> target} a symbolic link, anything else
 * a file whose content is its own path; blank lines and lines starting with {@code "# "} are
 * skipped. Parent directories are created as needed.
 */
final class ContextTrees {
  private ContextTrees() {}

  static void create(Path root, List<String> lines) throws IOException {
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("# ")) {
        continue;
      }
      int arrow = line.indexOf(" -> ");
      if (arrow >= 0) {
        Path link = root.resolve(line.substring(0, arrow));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(line.substring(arrow + 4)));
      } else if (line.endsWith("/")) {
        Files.createDirectories(root.resolve(line));
      } else {
        Path file = root.resolve(line);
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardCharsets.UTF_8);
      }
    }
  }

  /** One line per entry: directories end with a slash, links show their target. */
  static String describe(List<ContextEntry> entries) {
    return entries.stream().map(ContextTrees::describe).collect(Collectors.joining("\n", "", "\n"));
  }

  static String describe(ContextEntry e) {
    switch (e.type()) {
      case DIRECTORY:
        return e.path() + "/";
      case SYMLINK:
        return e.path() + " -> " + e.linkTarget();
      default:
        return e.isHardlink() ? e.path() + " => " + e.hardlinkOf() : e.path();
    }
  }
}
