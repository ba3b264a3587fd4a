package dev.gantry.layer;

import dev.gantry.oci.Compression;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import java.util.Objects;

/**
 * What writing a layer produced: the diffID (sha256 of the uncompressed tar), the digest and size
 * of the compressed blob, the uncompressed size and the compression used.
 *
 * <p>This class is immutable.
 */
public record WrittenLayer(Digest diffId, long uncompressedSize, Digest digest, long size,
    Compression compression) {

  public WrittenLayer {
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(compression, "compression");
  }

  /** The OCI descriptor of the blob. */
  public Descriptor descriptor() {
    return Descriptor.of(compression.mediaType(), digest, size);
  }

  /** The Docker schema 2 descriptor of the blob. */
  public Descriptor dockerDescriptor() {
    return Descriptor.of(compression.dockerMediaType(), digest, size);
  }
}
