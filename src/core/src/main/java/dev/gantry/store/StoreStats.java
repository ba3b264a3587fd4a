package dev.gantry.store;

/**
 * Write counters of one {@link Store} instance since it was opened: how many blobs and bytes it
 * added to disk, how many blob writes found the content already present, and how many cache records
 * and tags it wrote. Tests use it to assert that a repeated build wrote nothing.
 */
public record StoreStats(long blobsWritten, long bytesWritten, long blobsReused, long recordsWritten,
    long tagsWritten) {}
