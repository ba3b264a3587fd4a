package dev.gantry.builder;

import dev.gantry.registry.ImageReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where a build imports cache results from and exports them to, besides the local store
 * ({@code --cache-from}, {@code --cache-to}).
 *
 * @param from caches whose results steps may reuse, in order of preference
 * @param to where the build's results are exported after it succeeded
 */
public record CacheOptions(List<Location> from, List<Export> to) {
  /** No cache import or export. */
  public static final CacheOptions NONE = new CacheOptions(List.of(), List.of());

  public CacheOptions {
    from = List.copyOf(from);
    to = List.copyOf(to);
  }

  /** True when a cache to import or export lives in a registry. */
  boolean usesRegistry() {
    return Stream.concat(from.stream(), to.stream().map(Export::location)).anyMatch(l -> l instanceof Location.Registry);
  }

  /** Where a cache lives. */
  public sealed interface Location {
    /** An OCI artifact in a registry ({@code type=registry,ref=REF}). */
    record Registry(ImageReference reference) implements Location {
      public Registry {
        Objects.requireNonNull(reference, "reference");
      }

      @Override
      public String toString() {
        return reference.toString();
      }
    }

    /** An OCI image layout directory ({@code type=local,src=DIR} / {@code dest=DIR}). */
    record Directory(Path directory) implements Location {
      public Directory {
        Objects.requireNonNull(directory, "directory");
      }

      @Override
      public String toString() {
        return directory.toString();
      }
    }
  }

  /**
   * One export.
   *
   * @param location where the cache goes
   * @param everyStage {@code mode=max}: the steps of every stage built; else ({@code mode=min})
   *     only those of the result image's stage and the stages it is built {@code FROM}
   */
  public record Export(Location location, boolean everyStage) {
    public Export {
      Objects.requireNonNull(location, "location");
    }
  }
}
