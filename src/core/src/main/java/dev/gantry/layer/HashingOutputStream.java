package dev.gantry.layer;

import dev.gantry.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** An output stream that hashes (sha256) and counts what passes through it. */
final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest md = Digest.newSha256();
  private final boolean closeTarget;
  private long count;

  HashingOutputStream(OutputStream out, boolean closeTarget) {
    super(out);
    this.closeTarget = closeTarget;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    md.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    md.update(b, off, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    if (closeTarget) {
      out.close();
    } else {
      out.flush();
    }
  }

  Digest digest() {
    return Digest.fromHash(md.digest());
  }

  long count() {
    return count;
  }
}
