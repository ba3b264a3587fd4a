package dev.gantry.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves paths inside a container root as the container would see them, without ever leaving the
 * root: symlinks are followed with the root as {@code /}, {@code ..} stops at the root.
 */
final class RootPaths {
  private static final long MAX_USER_FILE = 10L << 20;

  private RootPaths() {}

  /** The host path of {@code path} (absolute or relative to {@code /}) in {@code root}, symlinks followed. */
  static Path resolve(Path root, String path) throws IOException {
    return dev.gantry.layer.RootedPaths.resolve(root, path, true);
  }

  /**
   * {@code rel} (slash-separated, relative) under {@code dir} when every directory on the way is a
   * real directory, not a symbolic link; null otherwise. Only the last component may be anything.
   */
  static Path withoutLinks(Path dir, String rel) {
    Path p = dir;
    String[] parts = rel.split("/");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      p = p.resolve(parts[i]);
    }
    return p;
  }

  /** The text of the regular file {@code path} in {@code root} (at most 10 MiB), or "" when there is none. */
  static String readSmallFile(Path root, String path) throws IOException {
    Path p = resolve(root, path);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return "";
    }
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes((int) MAX_USER_FILE + 1);
      if (b.length > MAX_USER_FILE) {
        throw new IOException(path + " exceeds " + MAX_USER_FILE + " bytes");
      }
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Creates directory {@code path} and missing parents inside {@code root} (mode 0755, root-owned):
   * symlinks in every component are followed inside the root, and the missing target of a link is
   * created (the link stays), as runc does for a working directory.
   */
  static void mkdirs(Path root, String path) throws IOException {
    Path p = root;
    for (Path c : root.relativize(resolve(root, path))) {
      p = p.resolve(c.toString());
      if (c.toString().isEmpty()) {
        continue;
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
        Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
      } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("/" + root.relativize(p) + " is not a directory (working directory " + path + ")");
      }
    }
  }
}
