package dev.gantry.store;

import dev.gantry.oci.Digest;

/**
 * A stored blob whose bytes no longer hash to its name. By the time this is thrown the bad file has
 * been moved out of the blob directory, so a retry fetches or rebuilds the content.
 */
public final class StoreCorruptionException extends DigestMismatchException {
  private static final long serialVersionUID = 1L;

  /** Blob {@code expected} was found to hash to {@code actual}. */
  public StoreCorruptionException(Digest expected, Digest actual, long size) {
    super("stored blob " + expected + " is corrupt: its " + size + " bytes hash to " + actual
        + "; it was removed from the store", expected, actual);
  }
}
