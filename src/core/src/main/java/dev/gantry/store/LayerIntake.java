package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A {@link BlobSink} for one layer that indexes it while its blob streams into the store, so a
 * downloaded layer is never decompressed again to learn what it holds. The compressed bytes go to
 * a {@link BlobWriter} as the index reader pulls them; the index is written (atomically) only when
 * the blob matched its digest and its uncompressed bytes the diffID. A blob the index reader cannot
 * read is still stored, unindexed: whoever needs its index reads it later and reports why it fails.
 * Memory is bounded by the index (entries, not file bytes). Used once, by one thread.
 */
public final class LayerIntake implements BlobSink {
  private final Store store;
  private final Digest diffId;
  private LayerIndex index;

  /** An intake for the layer whose uncompressed digest is {@code diffId}. */
  public LayerIntake(Store store, Digest diffId) {
    this.store = store;
    this.diffId = diffId;
  }

  @Override
  public StoredBlob put(InputStream in, Digest expected) throws IOException {
    try (BlobWriter w = store.newBlobWriter(in, expected)) {
      Tee tee = new Tee(in, w);
      LayerIndex read = null;
      try {
        read = LayerIndexReader.read(tee, diffId, expected.toString());
      } catch (IOException | RuntimeException e) {
        tee.rethrowSourceFailure();
        // not a layer the index reader accepts: stored all the same, indexed on first need
      }
      tee.transferTo(OutputStream.nullOutputStream());
      StoredBlob blob = w.commit(expected);
      if (read != null) {
        store.putLayerIndex(read);
        index = read;
      }
      return blob;
    }
  }

  /** The index written by {@link #put}, when the layer could be indexed. */
  public Optional<LayerIndex> index() {
    return Optional.ofNullable(index);
  }

  /**
   * Copies what is read through it to a blob writer; closing it leaves the source open. A failure
   * of the source or the writer is remembered, so it is told apart from a failure to read the layer.
   */
  private static final class Tee extends FilterInputStream {
    private final OutputStream copy;
    private IOException failure;

    Tee(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          copy.write(b, off, n);
        }
        return n;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 1 << 16)]));
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // the source belongs to the caller; what is left of it is copied by the intake
    }

    void rethrowSourceFailure() throws IOException {
      if (failure != null) {
        throw failure;
      }
    }
  }
}
