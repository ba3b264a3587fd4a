package dev.gantry.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link Gantry#prune} removes from a local store; the options mean what they mean for
 * {@code docker buildx prune}. By default only unreferenced data goes: blobs no tag reaches and no
 * cache record needs, cache records whose blobs are gone, and unpacked layers of layers no longer
 * stored. {@link Builder#all} also removes every cache record, unpacked layer and cache mount;
 * {@link Builder#keepStorage} instead evicts least recently used data until the store fits the
 * bound. Tagged images are always kept.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class PruneRequest {
  private final Path storeDirectory;
  private final boolean all;
  private final Long keepStorage;
  private final Duration until;

  private PruneRequest(Builder b) {
    this.storeDirectory = b.storeDirectory;
    this.all = b.all;
    this.keepStorage = b.keepStorage;
    this.until = b.until;
  }

  /** A request that removes unreferenced data from the default store. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store, when not the default one. */
  public Optional<Path> storeDirectory() {
    return Optional.ofNullable(storeDirectory);
  }

  /** Whether everything untagged goes. */
  public boolean all() {
    return all;
  }

  /** The size to keep, when set. */
  public OptionalLong keepStorage() {
    return keepStorage == null ? OptionalLong.empty() : OptionalLong.of(keepStorage);
  }

  /** Only what was last used longer ago than this goes ({@link Duration#ZERO}: no restriction). */
  public Duration until() {
    return until;
  }

  /** Builds a {@link PruneRequest}. */
  public static final class Builder {
    private Path storeDirectory;
    private boolean all;
    private Long keepStorage;
    private Duration until = Duration.ZERO;

    private Builder() {}

    /** The store directory (default: {@code $GANTRY_HOME} or {@code ~/.cache/gantry}). */
    public Builder storeDirectory(Path value) {
      this.storeDirectory = value;
      return this;
    }

    /** Also removes every cache record, unpacked layer and cache mount no tag needs. */
    public Builder all(boolean value) {
      this.all = value;
      return this;
    }

    /** Evicts least recently used data until the store holds at most {@code bytes}. */
    public Builder keepStorage(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size: " + bytes);
      }
      this.keepStorage = bytes;
      return this;
    }

    /** Removes only what was last used longer ago than {@code age} ({@code --filter until=24h}). */
    public Builder until(Duration age) {
      if (age.isNegative()) {
        throw new IllegalArgumentException("negative age: " + age);
      }
      this.until = age;
      return this;
    }

    public PruneRequest build() {
      return new PruneRequest(this);
    }
  }
}
