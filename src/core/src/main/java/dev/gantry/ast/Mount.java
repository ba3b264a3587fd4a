package dev.gantry.ast;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code RUN --mount=...} value, parsed by {@link Mounts#parse(String)}: a bind, cache, tmpfs,
 * secret or ssh mount.
 *
 * <p>Every implementation is an immutable record. Values are as written: when an option held a
 * variable, BuildKit expands it first, so the planner parses the expanded text again.
 */
public sealed interface Mount permits Mount.Bind, Mount.Cache, Mount.Tmpfs, Mount.Secret, Mount.Ssh {

  /** The mount type as spelled in a Dockerfile. */
  enum Type {
    BIND, CACHE, TMPFS, SECRET, SSH;

    /** The Dockerfile spelling, e.g. {@code tmpfs}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How concurrent builds share a cache mount ({@code sharing=}). */
  enum Sharing {
    SHARED, PRIVATE, LOCKED;

    /** The Dockerfile spelling, e.g. {@code locked}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The mount type. */
  Type type();

  /** The path in the container ({@code target}, {@code dst}, {@code destination}), or empty. */
  String target();

  /** Whether the mount is read-only (after BuildKit's per-type default). */
  boolean readOnly();

  /** Every {@code key=value} option as written, keys lower-cased, in order (last one wins). */
  Map<String, String> options();

  /** A bind mount of a path from the context, a stage or an image. */
  record Bind(String target, String source, String from, boolean readOnly, Map<String, String> options)
      implements Mount {
    public Bind {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(from, "from");
      options = Mounts.ordered(options);
    }

    @Override
    public Type type() {
      return Type.BIND;
    }
  }

  /**
   * A persistent cache directory; {@code mode}, {@code uid} and {@code gid} are null when not
   * given, {@code sharing} defaults to {@link Sharing#SHARED}.
   */
  record Cache(String target, String id, Sharing sharing, String from, String source, boolean readOnly,
      Long mode, Long uid, Long gid, Map<String, String> options) implements Mount {
    public Cache {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(source, "source");
      options = Mounts.ordered(options);
    }

    @Override
    public Type type() {
      return Type.CACHE;
    }
  }

  /** An in-memory file system; {@code sizeBytes} is 0 when unlimited. */
  record Tmpfs(String target, long sizeBytes, boolean readOnly, Map<String, String> options) implements Mount {
    public Tmpfs {
      Objects.requireNonNull(target, "target");
      options = Mounts.ordered(options);
    }

    @Override
    public Type type() {
      return Type.TMPFS;
    }
  }

  /**
   * A build secret as a file (at {@code target}, default {@code /run/secrets/<id>}) or as the
   * environment variable {@code env}; {@code id} and {@code source} are alternatives.
   */
  record Secret(String target, String id, String source, String env, boolean required, boolean readOnly,
      Long mode, Long uid, Long gid, Map<String, String> options) implements Mount {
    public Secret {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(source, "source");
      options = Mounts.ordered(options);
    }

    @Override
    public Type type() {
      return Type.SECRET;
    }
  }

  /** An SSH agent socket forwarded into the step. */
  record Ssh(String target, String id, boolean required, boolean readOnly, Long mode, Long uid, Long gid,
      Map<String, String> options) implements Mount {
    public Ssh {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      options = Mounts.ordered(options);
    }

    @Override
    public Type type() {
      return Type.SSH;
    }
  }
}
