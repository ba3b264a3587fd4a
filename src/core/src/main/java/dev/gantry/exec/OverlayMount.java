package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An overlayfs mount for one RUN: lower = unpacked layer directories (top first), upper = a fresh
 * directory that collects every change, mounted with {@code userxattr} so the opaque marker is the
 * {@code user.overlay.opaque} xattr. Mounted and unmounted by system calls (root, or a user
 * namespace's root), the lower directories named through an open handle of their common directory
 * ({@code /proc/self/fd/N/NAME}) so that long chains fit the options. {@link #close()} unmounts (lazily when busy); the upper directory stays.
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
   * @param lowerBase the directory the lower directories are in (named through a handle of it, which
   *     keeps the mount options short enough for long chains)
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
    List<Path> top = new ArrayList<>();
    for (int i = lowers.size() - 1; i >= 0; i--) {
      top.add(lowers.get(i));
    }
    if (top.isEmpty()) {
      top.add(Files.createDirectories(work.resolve("empty")));
    }
    Files.setAttribute(upper, "unix:mode", 0755);
    String rest = ",upperdir=" + upper.toAbsolutePath() + ",workdir=" + wd.toAbsolutePath() + ",userxattr"
        + (how == Support.VOLATILE ? ",volatile" : "");
    // the handle of lowerBase is open while the kernel resolves the names through it
    boolean mounted = MountCalls.withDirectory(lowerBase, prefix -> {
      String opts = lowerOptions(prefix, lowerBase, top) + rest;
      if (opts.length() > MountCalls.MAX_OPTIONS) {
        return false;
      }
      MountCalls.mount("overlay", "overlay", merged, opts);
      return true;
    });
    if (!mounted) {
      // a long chain: names relative to the mount command's working directory are shorter still
      Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", lowerOptions("", lowerBase, top) + rest,
          merged.toAbsolutePath().toString()), lowerBase);
    }
    OverlayMount m = new OverlayMount(merged, upper);
    m.mounted = true;
    return m;
  }

  private static String lowerOptions(String prefix, Path lowerBase, List<Path> top) {
    List<String> names = new ArrayList<>();
    for (Path lower : top) {
      names.add(prefix + lowerBase.relativize(lower));
    }
    return "lowerdir=" + String.join(":", names);
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
      detached = !MountCalls.unmount(merged, true);
    } finally {
      mounted = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
