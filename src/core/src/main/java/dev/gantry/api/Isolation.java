package dev.gantry.api;

import java.util.Locale;

/**
 * How a build runs its RUN commands ({@code --isolation}); see docs/rootless.md. The build prints
 * which one it uses, and why, before any work.
 */
public enum Isolation {
  /**
   * The strongest the host allows: {@link #ROOT} as root, {@link #ROOTLESS} for other users where
   * user namespaces can be made, {@link #CHROOT} inside a container that can make neither.
   */
  AUTO,
  /** runc with its own namespaces on overlay mounts; needs root of the host. */
  ROOT,
  /** runc inside a user namespace of the building user (subordinate ids from /etc/subuid, /etc/subgid). */
  ROOTLESS,
  /**
   * No namespaces: each command runs chrooted into a copy of the root filesystem with the rights
   * of the container Gantry runs in. For CI containers without privileges; the Dockerfile must be
   * trusted as much as the container.
   */
  CHROOT;

  /** The isolation named {@code name} ({@code auto}, {@code root}, {@code rootless} or {@code chroot}). */
  public static Isolation parse(String name) {
    for (Isolation i : values()) {
      if (i.name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("--isolation must be auto, root, rootless or chroot, not '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
