package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.List;

/**
 * The result of {@link Store#verify()}: how many blobs were re-hashed and which were corrupt (and
 * have been removed).
 */
public record VerifyReport(int checked, List<Digest> corrupt) {
  public VerifyReport {
    corrupt = List.copyOf(corrupt);
  }

  /** True when every blob hashed to its name. */
  public boolean ok() {
    return corrupt.isEmpty();
  }
}
