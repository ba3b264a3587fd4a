package dev.gantry.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Creates FIFOs and device nodes with their metadata without ever opening them (opening a FIFO
 * blocks until a writer comes; opening a device runs its driver).
 */
public final class SpecialFiles {
  private SpecialFiles() {}

  /**
   * Creates {@code file} (its parent must exist, the name must not) as the FIFO or device whose
   * {@code st_mode} is {@code mode} (type and permission bits) and {@code st_rdev} is {@code rdev},
   * owned by {@code uid}:{@code gid}, modified at {@code mtime}.
   */
  public static void create(Path file, int mode, long rdev, int uid, int gid, Instant mtime) throws IOException {
    int type = mode & Posix.S_IFMT;
    if (type != Posix.S_IFIFO && type != Posix.S_IFCHR && type != Posix.S_IFBLK) {
      throw new IllegalArgumentException(file + " is not a FIFO or device (mode " + Integer.toOctalString(mode) + ")");
    }
    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    String name = ByteNameTarInput.bytesOf(file.getFileName().toString());
    try (DirHandle dir = DirHandle.open(file.toAbsolutePath().getParent())) {
      dir.mknod(name, type, major, minor);
      dir.applyAt(name, new DirHandle.Meta(mode & 07777, uid, gid, mtime, Map.of(), true), false);
    }
  }

  /**
   * Sets the modification times of paths under {@code root} (relative names to times), none of
   * them opened and no symlink followed: safe for FIFOs and devices. Parent directories are each
   * opened once, in the order given.
   */
  public static void setModificationTimes(Path root, Map<String, Instant> times) throws IOException {
    String openDir = null;
    DirHandle dir = null;
    try {
      for (Map.Entry<String, Instant> t : times.entrySet()) {
        String rel = t.getKey();
        String parent = LayerPaths.parent(rel);
        if (!parent.equals(openDir)) {
          if (dir != null) {
            dir.close();
          }
          dir = DirHandle.open(parent.isEmpty() ? root : root.resolve(parent));
          openDir = parent;
        }
        dir.setMtime(ByteNameTarInput.bytesOf(LayerPaths.name(rel)), t.getValue());
      }
    } finally {
      if (dir != null) {
        dir.close();
      }
    }
  }
}
