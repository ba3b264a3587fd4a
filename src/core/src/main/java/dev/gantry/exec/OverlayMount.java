package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An overlayfs mount for one RUN: lower = unpacked layer directories (top first), upper = a fresh
 * directory that collects every change, mounted with {@code userxattr} so the opaque marker is the
 * {@code user.overlay.opaque} xattr. Mounted and unmounted with the {@code mount}/{@code umount}
 * commands (root only). {@link #close()} unmounts (lazily when busy); the upper directory stays.
 */
public final class OverlayMount implements AutoCloseable {
  private final Path merged;
  private final Path upper;
  private boolean mounted;
  private boolean detached;

  private OverlayMount(Path merged, Path upper) {
    this.merged = merged;
    this.upper = upper;
  }

  /** Whether overlays can be mounted here, and how. */
  public enum Support {
    /** Not at all (no overlayfs, or not allowed): RUN copies the layers instead. */
    NONE,
    /** With {@code userxattr}. */
    PLAIN,
    /**
     * With {@code userxattr} and {@code volatile} (Linux 5.10+): neither the command's fsync calls
     * nor the unmount flush the upper directory to disk, as extracting a layer does not either.
     */
    VOLATILE
  }

  /**
   * Mounts an overlay in {@code work} ({@code merged/}, {@code upper/}, {@code work/}).
   *
   * @param lowerBase the directory the lower directories are named relative to (keeps the mount
   *     options short enough for long chains)
   * @param lowers lower directories, bottom first (an empty list gives an empty root)
   * @param how {@link Support#PLAIN} or {@link Support#VOLATILE}
   */
  public static OverlayMount mount(Path lowerBase, List<Path> lowers, Path work, Support how) throws IOException {
    if (how == Support.NONE) {
      throw new IllegalArgumentException("no overlay to mount");
    }
    Path merged = Files.createDirectories(work.resolve("merged"));
    Path upper = Files.createDirectories(work.resolve("upper"));
    Path wd = Files.createDirectories(work.resolve("work"));
    List<String> names = new ArrayList<>();
    for (int i = lowers.size() - 1; i >= 0; i--) {
      names.add(lowerBase.relativize(lowers.get(i)).toString());
    }
    if (names.isEmpty()) {
      names.add(lowerBase.relativize(Files.createDirectories(work.resolve("empty"))).toString());
    }
    Files.setAttribute(upper, "unix:mode", 0755);
    String opts = "lowerdir=" + String.join(":", names) + ",upperdir=" + upper.toAbsolutePath()
        + ",workdir=" + wd.toAbsolutePath() + ",userxattr" + (how == Support.VOLATILE ? ",volatile" : "");
    Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", opts, merged.toAbsolutePath().toString()), lowerBase);
    OverlayMount m = new OverlayMount(merged, upper);
    m.mounted = true;
    return m;
  }

  /** How overlays can be mounted here: tries a volatile one, then a plain one, in {@code work}. */
  public static Support probe(Path lowerBase, Path work) throws IOException {
    for (Support how : List.of(Support.VOLATILE, Support.PLAIN)) {
      try (OverlayMount m = mount(lowerBase, List.of(), Files.createDirectories(work.resolve(how.name())), how)) {
        if (Files.isDirectory(m.root())) {
          return how;
        }
      } catch (IOException e) {
        // try the next way
      }
    }
    return Support.NONE;
  }

  /** The merged view (the container's root). */
  public Path root() {
    return merged;
  }

  /** The directory holding the changes. */
  public Path upper() {
    return upper;
  }

  /**
   * True when the overlay was unmounted at once by {@link #close()}, not detached lazily while busy
   * (then it may still use the upper directory).
   */
  public boolean unmountedCleanly() {
    return !mounted && !detached;
  }

  @Override
  public void close() throws IOException {
    if (!mounted) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      Commands.run(List.of("umount", merged.toAbsolutePath().toString()));
    } catch (IOException busy) {
      detached = true;
      Commands.run(List.of("umount", "-l", merged.toAbsolutePath().toString()));
    } finally {
      mounted = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
