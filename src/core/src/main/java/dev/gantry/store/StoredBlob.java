package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.Objects;

/**
 * The outcome of storing one blob: its digest, its size, and whether this write created it
 * ({@code false} when the store already held the same content).
 */
public record StoredBlob(Digest digest, long size, boolean created) {
  public StoredBlob {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }
}
