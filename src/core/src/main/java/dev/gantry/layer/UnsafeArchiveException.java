package dev.gantry.layer;

import java.io.IOException;

/**
 * An archive entry that would be written outside the extraction root (or that a safe extractor
 * otherwise refuses): names the entry and says why.
 */
public final class UnsafeArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String entryName;

  /** An error about the entry named {@code entryName} (as written in the archive). */
  public UnsafeArchiveException(String entryName, String reason) {
    super("unsafe archive entry \"" + entryName + "\": " + reason);
    this.entryName = entryName;
  }

  /** The entry's name as it appears in the archive. */
  public String entryName() {
    return entryName;
  }
}
