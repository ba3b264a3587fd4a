package dev.gantry.api;

/**
 * What {@link Gantry#prune} removed.
 *
 * @param bytesFreed the bytes of everything removed
 * @param blobs how many blobs were removed
 * @param records how many cache records were removed
 * @param directories how many unpacked layers and cache mounts were removed
 * @param leftovers how many abandoned temporary files and quarantined blobs were removed
 * @param bytesBefore the bytes of blobs, records, unpacked layers and cache mounts before
 * @param bytesAfter the same after
 * @param buildsRunning whether builds were running: what they used since they started, and every
 *     directory, was kept
 */
public record PruneResult(long bytesFreed, int blobs, int records, int directories, int leftovers,
    long bytesBefore, long bytesAfter, boolean buildsRunning) {}
