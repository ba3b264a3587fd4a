package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.List;

/**
 * The result of a collection ({@link Store#gc(long)}, {@link Store#prune}): the evicted blobs,
 * cache records and directories (named {@code rootfs/HEX} or {@code cache-mounts/HEX}), how many
 * leftover files (abandoned temporary files, quarantined corrupt blobs) were removed, the bytes
 * freed, the counted bytes before and after, and whether builds were running (then what they may
 * use, and every directory, was kept).
 */
public record GcReport(List<Digest> blobsRemoved, List<Digest> recordsRemoved,
    List<String> directoriesRemoved, int leftoversRemoved, long bytesFreed, long bytesBefore,
    long bytesAfter, boolean buildsRunning) {
  public GcReport {
    blobsRemoved = List.copyOf(blobsRemoved);
    recordsRemoved = List.copyOf(recordsRemoved);
    directoriesRemoved = List.copyOf(directoriesRemoved);
  }
}
