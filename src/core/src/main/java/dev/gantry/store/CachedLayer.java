package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.Objects;

/**
 * A layer a cached step produced: the digest of the stored (usually compressed) blob, the diffID
 * (digest of the uncompressed tar), the blob's size and its media type string.
 */
public record CachedLayer(Digest digest, Digest diffId, long size, String mediaType) {
  public CachedLayer {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(mediaType, "mediaType");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }
}
