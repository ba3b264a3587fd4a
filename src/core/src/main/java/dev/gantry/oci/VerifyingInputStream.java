package dev.gantry.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A stream over a blob that hashes what it yields (skipped bytes too) and, on reaching the end,
 * throws instead of reporting the end when the bytes do not match the expected digest (and size,
 * when known: a blob longer than its size fails as soon as it is). A reader that consumes the
 * stream completely never accepts wrong content silently; every read at the end throws again.
 * Mark and reset are not supported.
 */
public final class VerifyingInputStream extends FilterInputStream {
  /** Decides what a mismatch throws; it may act first (move the blob aside). */
  @FunctionalInterface
  public interface Mismatch {
    /** The exception for content of {@code size} bytes that hashes to {@code actual}. */
    IOException failure(Digest actual, long size) throws IOException;
  }

  private final Digest expected;
  /** The expected size, or -1 when only the digest is known. */
  private final long expectedSize;
  private final Mismatch mismatch;
  private final MessageDigest sha256 = Digest.newSha256();
  private long count;
  private boolean checked;
  private IOException failure;

  private VerifyingInputStream(InputStream in, Digest expected, long expectedSize, Mismatch mismatch) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.mismatch = mismatch;
  }

  /** Verifies {@code in} against the digest and size of {@code expected}; a mismatch is an {@link IOException}. */
  public static VerifyingInputStream of(InputStream in, Descriptor expected) {
    return new VerifyingInputStream(in, expected.digest(), expected.size(), (actual, size) -> size != expected.size()
        ? new IOException("blob " + expected.digest() + " has " + size + " bytes, expected " + expected.size())
        : new IOException("blob digest mismatch: expected " + expected.digest() + ", got " + actual));
  }

  /** Verifies {@code in} against {@code expected}; {@code mismatch} makes the exception of a mismatch. */
  public static VerifyingInputStream of(InputStream in, Digest expected, Mismatch mismatch) {
    return new VerifyingInputStream(in, expected, -1, mismatch);
  }

  /** The digest the content must have. */
  public Digest expected() {
    return expected;
  }

  /** Bytes read (and hashed) so far. */
  public long bytesRead() {
    return count;
  }

  /** True once the end was reached and the content matched: every byte read was the expected content. */
  public boolean verified() {
    return checked && failure == null;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      atEnd();
    } else {
      sha256.update((byte) b);
      counted(1);
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
      counted(n);
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

  private void counted(int n) throws IOException {
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new IOException("blob " + expected + " is longer than its size " + expectedSize);
    }
  }

  private void atEnd() throws IOException {
    if (!checked) {
      checked = true;
      Digest actual = Digest.fromHash(sha256.digest());
      if (!actual.equals(expected) || (expectedSize >= 0 && count != expectedSize)) {
        failure = mismatch.failure(actual, count);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
