package dev.gantry.registry;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * One registry, spoken to through the distribution API. Every operation retries what can be
 * retried and ends in a {@link RegistryException} naming the registry, repository, operation,
 * status and attempts. Implementations are thread-safe.
 */
public interface Registry {
  /** The largest manifest or index accepted. */
  int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  /** A manifest or index as the registry sent it, with its digest (of exactly these bytes). */
  record FetchedManifest(String mediaType, Digest digest, byte[] bytes) {}

  /** The manifest or index {@code ref} names (by tag or digest); at most {@link #MAX_MANIFEST_BYTES}. */
  FetchedManifest manifest(ImageReference ref) throws IOException;

  /**
   * Downloads blob {@code blob} of {@code repository} and hands its bytes to {@code target} (again
   * on a retry), verifying size and digest while they stream: a read past the size, or the end of
   * a blob that does not match, throws instead, so {@code target} never keeps wrong content.
   */
  void pullBlob(String repository, Descriptor blob, BlobTarget target) throws IOException;

  /** Where a pulled blob's bytes go (the store, in a build). */
  @FunctionalInterface
  interface BlobTarget {
    /** Consumes the verified stream {@code in} to its end; the caller closes it. */
    void accept(InputStream in) throws IOException;
  }

  /** True when {@code repository} has blob {@code digest} ({@code HEAD}). */
  boolean hasBlob(String repository, Digest digest) throws IOException;

  /**
   * Uploads {@code blob} to {@code repository}, or mounts it from {@code mountFrom} (another
   * repository of this registry, may be null) when the registry agrees.
   *
   * @return true when the blob was mounted rather than uploaded
   */
  boolean pushBlob(String repository, Blob blob, String mountFrom) throws IOException;

  /** Puts a manifest under {@code tagOrDigest}; returns the digest the registry reports. */
  Digest pushManifest(String repository, String tagOrDigest, String mediaType, byte[] bytes) throws IOException;
}
