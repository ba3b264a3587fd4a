package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.List;

/**
 * The result of {@link Store#gc(long)}: the evicted blobs and cache records, how many leftover files
 * (abandoned temporary files, quarantined corrupt blobs) were removed, and the counted bytes before
 * and after.
 */
public record GcReport(List<Digest> blobsRemoved, List<Digest> recordsRemoved, int leftoversRemoved,
    long bytesBefore, long bytesAfter) {
  public GcReport {
    blobsRemoved = List.copyOf(blobsRemoved);
    recordsRemoved = List.copyOf(recordsRemoved);
  }
}
