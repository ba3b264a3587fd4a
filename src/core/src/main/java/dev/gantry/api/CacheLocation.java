package dev.gantry.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a shared build cache lives: a registry reference or a directory. Mirrors the locations of
 * {@code docker buildx build --cache-from/--cache-to}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface CacheLocation {

  /** A cache artifact in a registry ({@code type=registry,ref=REF}), such as {@code registry.example/app:cache}. */
  record Registry(String reference) implements CacheLocation {
    public Registry {
      Objects.requireNonNull(reference, "reference");
    }
  }

  /** A cache in an OCI image layout directory ({@code type=local,src=DIR} or {@code dest=DIR}). */
  record Directory(Path directory) implements CacheLocation {
    public Directory {
      Objects.requireNonNull(directory, "directory");
    }
  }

  /**
   * Parses a {@code --cache-from} value: {@code type=registry,ref=REF} or {@code type=local,src=DIR};
   * a value without {@code =} is a registry reference, as in buildx.
   *
   * @throws IllegalArgumentException naming what is wrong and the accepted forms
   */
  static CacheLocation parse(String spec) {
    return CacheSpecs.parse("--cache-from", spec, false).location();
  }
}
