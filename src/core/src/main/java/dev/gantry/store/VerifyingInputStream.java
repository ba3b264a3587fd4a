package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * An input stream over a stored blob that hashes what it yields and, on reaching the end, checks
 * the hash against the blob's name. On a mismatch it asks the store to move the blob aside and
 * throws {@link StoreCorruptionException} instead of reporting end of stream, so a reader that
 * consumes the stream completely never accepts corrupt content silently.
 */
final class VerifyingInputStream extends FilterInputStream {
  /** Called with the actual digest and size when the content does not match. */
  @FunctionalInterface
  interface OnCorrupt {
    void corrupt(Digest actual, long size) throws IOException;
  }

  private final Digest expected;
  private final MessageDigest sha256 = Digest.newSha256();
  private final OnCorrupt onCorrupt;
  private long size;
  private boolean verified;
  private StoreCorruptionException failure;

  VerifyingInputStream(InputStream in, Digest expected, OnCorrupt onCorrupt) {
    super(in);
    this.expected = expected;
    this.onCorrupt = onCorrupt;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      atEnd();
    } else {
      sha256.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      atEnd();
    } else {
      sha256.update(b, off, n);
      size += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported: re-reading would corrupt the running hash
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void atEnd() throws IOException {
    if (!verified) {
      verified = true;
      Digest actual = Digest.fromHash(sha256.digest());
      if (!actual.equals(expected)) {
        failure = new StoreCorruptionException(expected, actual, size);
        onCorrupt.corrupt(actual, size);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
