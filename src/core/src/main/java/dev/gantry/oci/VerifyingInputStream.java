package dev.gantry.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A stream that hashes what it yields and, at its end, fails with an {@link IOException} when the
 * bytes do not match the expected descriptor's digest and size.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Descriptor expected;
  private final MessageDigest md = Digest.newSha256();
  private long count;
  private boolean checked;

  VerifyingInputStream(InputStream in, Descriptor expected) {
    super(in);
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      check();
    } else {
      md.update((byte) b);
      count++;
      tooLong();
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      check();
    } else {
      md.update(buf, off, n);
      count += n;
      tooLong();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return read(new byte[(int) Math.min(n, 8192)]);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void tooLong() throws IOException {
    if (count > expected.size()) {
      throw new IOException("blob " + expected.digest() + " is longer than its size "
          + expected.size());
    }
  }

  private void check() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    if (count != expected.size()) {
      throw new IOException("blob " + expected.digest() + " has " + count + " bytes, expected "
          + expected.size());
    }
    Digest actual = Digest.fromHash(md.digest());
    if (!actual.equals(expected.digest())) {
      throw new IOException("blob digest mismatch: expected " + expected.digest() + ", got "
          + actual);
    }
  }
}
