package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.Objects;

/**
 * A layer a cached step produced: the digest of the stored (usually compressed) blob, the diffID
 * (digest of the uncompressed tar), the blob's size, its media type string and, for a layer known
 * from an imported cache, where the blob can be fetched while the store does not hold it
 * ({@code docker-image://REGISTRY/REPOSITORY} or {@code oci-layout://DIR}; null for a layer whose
 * blob must be in the store).
 */
public record CachedLayer(Digest digest, Digest diffId, long size, String mediaType, String source) {
  public CachedLayer {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(mediaType, "mediaType");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }

  /** A layer whose blob is in the store. */
  public CachedLayer(Digest digest, Digest diffId, long size, String mediaType) {
    this(digest, diffId, size, mediaType, null);
  }

  /** This layer, fetched from {@code location} while its blob is not in the store. */
  public CachedLayer fetchedFrom(String location) {
    return new CachedLayer(digest, diffId, size, mediaType, location);
  }
}
