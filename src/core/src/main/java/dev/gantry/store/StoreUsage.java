package dev.gantry.store;

/**
 * What a store holds on disk: blob count and bytes, cache record count and bytes, and tag count.
 * {@link #bytes()} is the figure {@link Store#gc(long)} bounds.
 */
public record StoreUsage(long blobs, long blobBytes, long records, long recordBytes, long tags) {

  /** Bytes that count against the garbage-collection bound: blobs plus cache records. */
  public long bytes() {
    return blobBytes + recordBytes;
  }
}
