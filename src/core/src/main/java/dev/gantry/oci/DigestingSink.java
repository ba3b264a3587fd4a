package dev.gantry.oci;

/**
 * A destination that computes the sha256 of the bytes written to it. A writer that feeds one (a
 * layer writer writing into a store blob, say) reads the digest from it instead of hashing every
 * byte a second time.
 */
public interface DigestingSink {
  /** The sha256 of the bytes written so far. */
  Digest digestSoFar();

  /** The number of bytes written so far. */
  long bytesSoFar();
}
