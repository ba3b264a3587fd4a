package dev.gantry.exec;

import java.util.List;
import java.util.Objects;

/**
 * An extra mount of a RUN container, as written into the runtime spec: a bind mount of a host path
 * (cache directory, bound source, secret file, agent socket) or a tmpfs.
 *
 * @param destination the absolute path in the container
 * @param type {@code bind} or {@code tmpfs}
 * @param source the host path of a bind mount, or {@code tmpfs}
 * @param options the mount options ({@code rbind}, {@code ro}, {@code size=...})
 */
public record MountPoint(String destination, String type, String source, List<String> options) {
  public MountPoint {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    options = List.copyOf(options);
  }

  /** A bind mount of {@code host} at {@code destination}, read-only unless {@code writable}. */
  public static MountPoint bind(String destination, java.nio.file.Path host, boolean writable) {
    return new MountPoint(destination, "bind", host.toAbsolutePath().toString(),
        writable ? List.of("rbind", "rw") : List.of("rbind", "ro"));
  }

  /** A tmpfs at {@code destination} limited to {@code sizeBytes} (0: the kernel's default). */
  public static MountPoint tmpfs(String destination, long sizeBytes) {
    return new MountPoint(destination, "tmpfs", "tmpfs", sizeBytes > 0
        ? List.of("nosuid", "nodev", "size=" + sizeBytes) : List.of("nosuid", "nodev"));
  }
}
