package dev.gantry.store;

import dev.gantry.oci.Digest;
import dev.gantry.store.CacheRecordCodec.MalformedRecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The cache index of a {@link Store}: cache key to {@link CacheRecord}, one file per key. */
final class StoreRecords {
  private final Store store;
  private final StoreLayout layout;
  private final AtomicLong written = new AtomicLong();

  StoreRecords(Store store, StoreLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** How many records this instance wrote. */
  long written() {
    return written.get();
  }

  /** See {@link Store#lookup(Digest, String)}. */
  Optional<CacheRecord> lookup(Digest cacheKey, String preimage) throws IOException {
    Optional<CacheRecord> found;
    try {
      found = read(cacheKey, preimage);
    } catch (MalformedRecordException e) {
      return Optional.empty();
    }
    if (found.isEmpty()) {
      return found;
    }
    // Marked as used before the check: a collection deletes only what is unchanged since it looked,
    // so what is present after the mark stays for the running build (see GarbageCollector).
    FileTime now = store.now();
    AtomicFiles.touch(layout.record(cacheKey), now);
    for (Digest blob : found.get().blobs()) {
      AtomicFiles.touch(layout.blob(blob), now);
    }
    for (CachedLayer layer : found.get().layers()) {
      if (layer.source() == null && !store.hasBlob(layer.digest())) {
        return Optional.empty();
      }
    }
    return found;
  }

  /** See {@link Store#record}. */
  void record(Digest cacheKey, CacheRecord result) throws IOException {
    Path file = layout.record(cacheKey);
    byte[] bytes = CacheRecordCodec.encode(cacheKey, result);
    // The stripe lock orders this write against gc deciding to evict the same record.
    FileLocks.with(layout.blobLock(cacheKey), () -> {
      if (AtomicFiles.sameContent(file, bytes)) {
        AtomicFiles.touch(file, store.now());
      } else {
        AtomicFiles.writeCache(layout.tmp(), file, bytes, store.now());
        written.incrementAndGet();
      }
      return null;
    });
  }

  /** The record of {@code cacheKey}; with a non-null {@code preimage}, the stored one is not decoded. */
  Optional<CacheRecord> read(Digest cacheKey, String preimage) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(layout.record(cacheKey));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(CacheRecordCodec.decode(cacheKey, bytes, preimage));
  }
}
