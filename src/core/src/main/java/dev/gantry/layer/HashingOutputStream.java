package dev.gantry.layer;

import dev.gantry.oci.Digest;
import dev.gantry.oci.DigestingSink;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * An output stream that hashes (sha256) and counts what passes through it. When its target is a
 * {@link DigestingSink} that has seen nothing yet (another of these streams: an uncompressed layer's
 * tar and blob are the same bytes), it only counts, and its digest is the sink's.
 */
final class HashingOutputStream extends FilterOutputStream implements DigestingSink {
  private final MessageDigest md;
  private final DigestingSink sink;
  private final boolean closeTarget;
  private long count;

  HashingOutputStream(OutputStream out, boolean closeTarget) {
    super(out);
    this.closeTarget = closeTarget;
    this.sink = out instanceof DigestingSink d && d.bytesSoFar() == 0 ? d : null;
    this.md = sink == null ? Digest.newSha256() : null;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    if (md != null) {
      md.update((byte) b);
    }
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (md != null) {
      md.update(b, off, len);
    }
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

  /** The digest of everything written; call once, after the last write. */
  Digest digest() {
    return md != null ? Digest.fromHash(md.digest()) : sink.digestSoFar();
  }

  long count() {
    return count;
  }

  @Override
  public Digest digestSoFar() {
    return md != null ? Digest.soFar(md) : sink.digestSoFar();
  }

  @Override
  public long bytesSoFar() {
    return count;
  }
}
