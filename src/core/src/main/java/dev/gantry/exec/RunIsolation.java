package dev.gantry.exec;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How this build runs its RUN commands, and why: chosen once per build from what was asked for and
 * what the host allows ({@link IsolationProbe}).
 *
 * @param mode the isolation
 * @param why the reason, in words (what was detected)
 * @param enter when not empty, the build must first run again inside a user namespace with this
 *     command in front ({@link UserNamespace#enterCommand})
 */
public record RunIsolation(Mode mode, String why, List<String> enter) {
  public RunIsolation {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(why);
    enter = List.copyOf(enter);
  }

  /** What a build may ask for ({@code dev.gantry.api.Isolation} in the builder's terms). */
  public enum Request { AUTO, ROOT, ROOTLESS, CHROOT }

  /** The ways RUN commands are run. */
  public enum Mode {
    /** runc with its own namespaces on an overlay, as root of the host. */
    ROOT,
    /** runc inside a user namespace: root there is the building user on the host. */
    ROOTLESS,
    /**
     * No namespaces: the command runs chrooted into a copy of the root filesystem with the rights of
     * the (container's) root, without the right to chroot again. For containers that cannot make
     * namespaces; the Dockerfile is trusted as much as the container.
     */
    CHROOT
  }

  /** True when the build must run again inside a user namespace before it can run RUN commands. */
  public boolean mustEnter() {
    return !enter.isEmpty();
  }

  /** True when the user namespace to enter maps the user's subordinate ids too. */
  public boolean mapsSubordinateIds() {
    return enter.contains(UserNamespace.MAP_SUBORDINATE);
  }

  /** The one line a build prints before any work: {@code RUN isolation: rootless (...)}. */
  public String describe() {
    return "RUN isolation: " + mode.name().toLowerCase(Locale.ROOT) + " (" + why + ")";
  }
}
