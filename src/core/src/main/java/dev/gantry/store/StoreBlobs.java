package dev.gantry.store;

import dev.gantry.oci.Digest;
import dev.gantry.oci.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The blob files of a {@link Store}: publishing a written blob under its digest, and moving corrupt
 * ones to the quarantine. Counts what this instance wrote.
 */
final class StoreBlobs {
  private final Store store;
  private final StoreLayout layout;
  private final Consumer<Path> syncDirectory;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();

  StoreBlobs(Store store, StoreLayout layout, Consumer<Path> syncDirectory) {
    this.store = store;
    this.layout = layout;
    this.syncDirectory = syncDirectory;
  }

  /** How many blobs this instance wrote, how many bytes they hold, and how many it found already stored. */
  long written() {
    return written.get();
  }

  long bytesWritten() {
    return bytesWritten.get();
  }

  long reused() {
    return reused.get();
  }

  /** See {@link Store#openBlob}. */
  InputStream open(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    InputStream in = Files.newInputStream(path);
    AtomicFiles.touch(path, store.now());
    return VerifyingInputStream.of(in, digest, (actual, size) -> {
      quarantineIfCorrupt(digest);
      return new StoreCorruptionException(digest, actual, size);
    });
  }

  /** See {@link Store#blobPath}. */
  Path path(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null, "no blob " + digest + " in the store");
    }
    AtomicFiles.touch(path, store.now());
    return path;
  }

  /** A writer for one new blob, published by {@link #publish}. */
  BlobWriter newWriter() throws IOException {
    return BlobWriter.create(layout.tmp(), this::publish);
  }

  /** See {@link Store#putBlob(byte[])}. */
  StoredBlob put(byte[] bytes) throws IOException {
    try (BlobWriter w = newWriter()) {
      w.write(bytes);
      return w.commit();
    }
  }

  /**
   * A writer of the bytes of {@code in}, all of them in order: when {@code in} verifies them against
   * {@code expected} (a blob fetched from a registry), they are not hashed a second time.
   */
  BlobWriter newWriter(InputStream in, Digest expected) throws IOException {
    VerifyingInputStream verifying = in instanceof VerifyingInputStream v && v.expected().equals(expected)
        && v.bytesRead() == 0 ? v : null;
    return BlobWriter.create(layout.tmp(), this::publish, verifying);
  }

  /** See {@link Store#putBlob(InputStream, Digest)}. */
  StoredBlob put(InputStream in, Digest expected) throws IOException {
    try (BlobWriter w = newWriter(in, expected)) {
      in.transferTo(w);
      return w.commit(expected);
    }
  }

  /** Moves the verified file {@code temp} into place as blob {@code digest} (see {@link BlobWriter}). */
  StoredBlob publish(Path temp, Digest digest, long size) throws IOException {
    Path target = layout.blob(digest);
    Listing.makeReadOnly(temp);
    Files.setLastModifiedTime(temp, store.now());
    return FileLocks.with(layout.blobLock(digest), () -> {
      if (Files.isRegularFile(target) && Files.size(target) == size) {
        AtomicFiles.touch(target, store.now());
        reused.incrementAndGet();
        return new StoredBlob(digest, size, false);
      }
      // Absent, or present with the wrong size (corrupt): the new, verified bytes take its place.
      AtomicFiles.move(temp, target, syncDirectory);
      written.incrementAndGet();
      bytesWritten.addAndGet(size);
      StoreBound.written(store.root(), size);
      return new StoredBlob(digest, size, true);
    });
  }

  /**
   * Re-hashes blob {@code digest} under its lock and moves it to the quarantine if it is corrupt.
   * Returns whether it was.
   */
  boolean quarantineIfCorrupt(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    return FileLocks.with(layout.blobLock(digest), () -> {
      Digest actual;
      try (InputStream in = Files.newInputStream(path)) {
        actual = Digest.sha256(in);
      } catch (NoSuchFileException e) {
        return false;
      }
      if (actual.equals(digest)) {
        return false;
      }
      Path aside = AtomicFiles.tempName(layout.quarantine(), digest.hex());
      AtomicFiles.move(path, aside);
      return true;
    });
  }

  /** See {@link Store#verify}. */
  VerifyReport verify() throws IOException {
    List<Digest> all = Listing.blobs(layout);
    List<Digest> corrupt = new ArrayList<>();
    for (Digest digest : all) {
      Digest actual;
      try (InputStream in = Files.newInputStream(layout.blob(digest))) {
        actual = Digest.sha256(in);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (!actual.equals(digest) && quarantineIfCorrupt(digest)) {
        corrupt.add(digest);
      }
    }
    return new VerifyReport(all.size(), corrupt);
  }
}
