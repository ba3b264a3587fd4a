package dev.gantry.plan;

import java.util.Objects;

/**
 * One {@code RUN --mount} after expansion and BuildKit's defaults: what the executor mounts where.
 * Implementations are immutable records.
 */
public sealed interface RunMount {

  /** The absolute path in the container ({@code null} only for an env-only secret). */
  String target();

  /**
   * A persistent cache directory, shared by every build using the same store and {@code id}.
   *
   * @param sharing {@code shared}, {@code private} or {@code locked}
   * @param from the stage or context seeding a new cache, or null
   * @param source the path in {@code from} that seeds it ({@code /} when not given)
   * @param mode the mode of a new cache directory (default 0755)
   */
  record Cache(String target, String id, String sharing, StageRef from, String source, boolean readOnly, long mode,
      long uid, long gid) implements RunMount {
    public Cache {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * A bind mount of {@code source} from the main build context ({@code from} null), a named
   * context, a stage or an image; with {@code readWrite} the command writes to a throw-away copy.
   */
  record Bind(String target, StageRef from, String source, boolean readWrite) implements RunMount {
    public Bind {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(source, "source");
    }
  }

  /** An in-memory file system; {@code sizeBytes} 0 means the runtime's default. */
  record Tmpfs(String target, long sizeBytes) implements RunMount {
    public Tmpfs {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * A build secret given to the build by id: a file at {@code target} (null when only {@code env}
   * is wanted) and/or the environment variable {@code env} (or null).
   */
  record Secret(String target, String id, String env, boolean required, long mode, long uid, long gid)
      implements RunMount {
    public Secret {
      Objects.requireNonNull(id, "id");
    }
  }

  /** An SSH agent socket given to the build by id, bound at {@code target}. */
  record Ssh(String target, String id, boolean required, long mode, long uid, long gid) implements RunMount {
    public Ssh {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
    }
  }
}
