package dev.gantry.exec;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Host directories behind {@code RUN --mount}s: the merged files of a stage's layers (for bind
 * mounts and cache seeds), and copies of a tree (for read-write binds, whose writes are discarded).
 */
public final class MountSources {
  private MountSources() {}

  /**
   * The host path of {@code source} (symlinks resolved inside the root) in a fresh copy of the
   * filesystem of {@code layers}, made in {@code work}.
   *
   * @throws java.nio.file.NoSuchFileException when {@code source} does not exist there
   */
  public static Path fromLayers(RootfsCache rootfs, List<Descriptor> layers, List<Digest> diffIds, String source,
      Path work) throws IOException {
    CopySnapshot snap = CopySnapshot.create(rootfs.lowerDirs(layers, diffIds), work);
    Path p = RootPaths.resolve(snap.root(), source);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.NoSuchFileException(source, null, "not found in the mount's source");
    }
    return p;
  }

  /**
   * {@code source} when it is its own real path (no symbolic link in any component, so the runtime
   * binds exactly it) and lies inside {@code root}; an {@link IOException} otherwise.
   */
  public static Path confined(Path source, Path root) throws IOException {
    Path real = source.toRealPath();
    if (!real.equals(source.toAbsolutePath()) || !real.startsWith(root.toRealPath())) {
      throw new IOException("mount source " + source + " resolves to " + real + ", outside " + root);
    }
    return source;
  }

  /** Copies the file or tree {@code from} to {@code to} (modes, owners and symlinks kept). */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
          Files.setAttribute(dest, "unix:mode", Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } else {
          Files.createDirectories(dest.getParent());
          Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setAttribute(dest, "unix:uid", Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
            LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dest, "unix:gid", Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS),
            LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  /** Deletes a tree (best effort is not enough here: secrets must go), symlinks not followed. */
  public static void delete(Path p) throws IOException {
    Trees.delete(p);
  }
}
