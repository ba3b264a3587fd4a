package dev.gantry.registry;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import dev.gantry.store.StoredBlob;
import java.io.IOException;

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
   * Downloads blob {@code blob} of {@code repository} into {@code store}, verifying size and digest
   * while it streams: a blob that does not match never enters the store.
   */
  StoredBlob pullBlob(String repository, Descriptor blob, Store store) throws IOException;

  /** True when {@code repository} has blob {@code digest} ({@code HEAD}). */
  boolean hasBlob(String repository, Digest digest) throws IOException;

  /**
   * Mounts blob {@code blob} into {@code repository} from {@code mountFrom} (another repository of
   * this registry, may be null) when the registry agrees, else uploads the file {@code files} names
   * for it; {@code files} is asked only for an upload (the blob may have to be fetched first).
   *
   * @return true when the blob was mounted rather than uploaded
   */
  boolean pushBlob(String repository, Descriptor blob, ImagePusher.BlobFiles files, String mountFrom)
      throws IOException;

  /** Puts a manifest under {@code tagOrDigest}; returns the digest the registry reports. */
  Digest pushManifest(String repository, String tagOrDigest, String mediaType, byte[] bytes) throws IOException;
}
