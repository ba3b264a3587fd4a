package dev.gantry.store;

import dev.gantry.layer.ArchiveEntries;
import dev.gantry.layer.Archives;
import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.List;

/** Makes the {@link LayerIndex} of a layer from its blob's bytes, in one pass that also checks its diffID. */
public final class LayerIndexReader {
  private LayerIndexReader() {}

  /**
   * Reads the index of the layer whose blob (compressed or not) {@code blob} yields: its entries
   * with {@code .wh.NAME} files as whiteouts and {@code .wh..wh..opq} as opaque markers, and the
   * bytes of the kept files. Reads {@code blob} to the end of its compressed stream and closes it.
   * Fails when the uncompressed bytes do not hash to {@code diffId}, the image config's word for them.
   *
   * @param what how messages name the layer (its blob digest)
   */
  public static LayerIndex read(InputStream blob, Digest diffId, String what) throws IOException {
    List<LayerEntry> raw;
    UncompressedDigest tar = new UncompressedDigest(Archives.open(blob));
    try (tar) {
      raw = ArchiveEntries.create().allowDevices(true).keepBytes(LayerIndex.KEPT_FILES)
          .contentFrom((path, size) -> LayerEntry.EMPTY).read(tar, "/");
    }
    Digest actual = tar.digest();
    if (!actual.equals(diffId)) {
      throw new IOException("layer " + what + " uncompresses to " + actual
          + ", but the image config gives its diff ID as " + diffId);
    }
    return LayerIndex.of(diffId, raw);
  }

  /** The sha256 of everything read through it; closing it reads the rest first. */
  private static final class UncompressedDigest extends DigestInputStream {
    private boolean closed;

    UncompressedDigest(InputStream in) {
      super(in, Digest.newSha256());
    }

    @Override
    public long skip(long n) throws IOException {
      return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 1 << 16)]));
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (InputStream in = this.in) {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
          // the digest covers the tar's trailing blocks too
        }
      }
    }

    /** The digest of what was read (call once, after closing). */
    Digest digest() {
      return Digest.fromHash(getMessageDigest().digest());
    }
  }
}
