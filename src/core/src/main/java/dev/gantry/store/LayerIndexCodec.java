package dev.gantry.store;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary form of a {@link LayerIndex} file: the magic {@code GANTRYLI}, a format version byte,
 * the sha256 of the body (32 bytes), then the body: the diffID, the entry count, each entry (type,
 * path as the length of the prefix shared with the previous path plus the rest, mode, uid, gid,
 * mtime seconds and nanos, size, link target, device numbers, xattrs), and the kept files (path,
 * bytes). Numbers are unsigned LEB128 varints, strings are varint-length-prefixed UTF-8. A file
 * whose body does not hash to its header, or that names another diffID, is rejected.
 */
final class LayerIndexCodec {
  private static final byte[] MAGIC = "GANTRYLI".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int HEADER = MAGIC.length + 1 + 32;
  private static final EntryType[] TYPES = EntryType.values();

  /** An index file that cannot be trusted (damaged, truncated, of another layer or version). */
  static final class MalformedIndexException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedIndexException(String message) {
      super(message);
    }
  }

  private LayerIndexCodec() {}

  static byte[] encode(LayerIndex index) {
    Out body = new Out();
    body.string(index.diffId().toString());
    body.varint(index.entries().size());
    String previous = "";
    for (LayerEntry e : index.entries()) {
      body.varint(e.type().ordinal());
      int shared = sharedPrefix(previous, e.path());
      body.varint(shared);
      body.string(e.path().substring(shared));
      previous = e.path();
      body.varint(e.mode());
      body.varint(e.uid());
      body.varint(e.gid());
      body.varint(e.mtime().getEpochSecond() - Long.MIN_VALUE);
      body.varint(e.mtime().getNano());
      body.varint(e.size());
      body.string(e.linkTarget());
      body.varint(e.devMajor() & 0xffffffffL);
      body.varint(e.devMinor() & 0xffffffffL);
      body.varint(e.xattrs().size());
      for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
        body.string(x.getKey());
        body.string(x.getValue());
      }
    }
    Map<String, byte[]> files = new TreeMap<>(index.files());
    body.varint(files.size());
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      body.string(f.getKey());
      body.varint(f.getValue().length);
      body.write(f.getValue(), 0, f.getValue().length);
    }
    byte[] bytes = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + bytes.length);
    out.write(MAGIC, 0, MAGIC.length);
    out.write(VERSION);
    out.write(sha256(bytes, 0, bytes.length), 0, 32);
    out.write(bytes, 0, bytes.length);
    return out.toByteArray();
  }

  static LayerIndex decode(Digest diffId, byte[] file) throws MalformedIndexException {
    if (file.length < HEADER || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new MalformedIndexException("not a layer index");
    }
    if (file[MAGIC.length] != VERSION) {
      throw new MalformedIndexException("layer index format " + file[MAGIC.length] + " is not " + VERSION);
    }
    byte[] actual = sha256(file, HEADER, file.length - HEADER);
    if (!Arrays.equals(actual, 0, 32, file, MAGIC.length + 1, HEADER)) {
      throw new MalformedIndexException("the layer index does not match its digest");
    }
    In in = new In(file, HEADER);
    try {
      if (!in.string().equals(diffId.toString())) {
        throw new MalformedIndexException("the layer index is of another layer");
      }
      int count = in.count();
      // a count is not trusted for the allocation: the index may come from another machine's cache
      List<LayerEntry> entries = new ArrayList<>(Math.min(count, file.length));
      String previous = "";
      for (int i = 0; i < count; i++) {
        EntryType type = TYPES[in.count()];
        int shared = in.count();
        String path = previous.substring(0, shared) + in.string();
        previous = path;
        int mode = in.count();
        long uid = in.varint();
        long gid = in.varint();
        Instant mtime = Instant.ofEpochSecond(in.varint() + Long.MIN_VALUE, in.count());
        long size = in.varint();
        String link = in.string();
        int major = (int) in.varint();
        int minor = (int) in.varint();
        int xattrCount = in.count();
        Map<String, String> xattrs = xattrCount == 0 ? null : new TreeMap<>();
        for (int x = 0; x < xattrCount; x++) {
          xattrs.put(in.string(), in.string());
        }
        entries.add(new LayerEntry(path, type, mode, uid, gid, mtime, size, link, major, minor, xattrs,
            LayerEntry.EMPTY));
      }
      int fileCount = in.count();
      Map<String, byte[]> files = new TreeMap<>();
      for (int i = 0; i < fileCount; i++) {
        String path = in.string();
        files.put(path, in.bytes(in.count()));
      }
      if (!in.atEnd()) {
        throw new MalformedIndexException("the layer index has trailing bytes");
      }
      return new LayerIndex(diffId, entries, files);
    } catch (RuntimeException e) {
      throw new MalformedIndexException("the layer index cannot be decoded: " + e.getMessage());
    }
  }

  private static int sharedPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    // never split a surrogate pair between the shared prefix and the rest
    return i > 0 && Character.isHighSurrogate(b.charAt(i - 1)) ? i - 1 : i;
  }

  private static byte[] sha256(byte[] bytes, int offset, int length) {
    MessageDigest md = Digest.newSha256();
    md.update(bytes, offset, length);
    return md.digest();
  }

  /** A growing buffer with varint and string writers. */
  private static final class Out extends ByteArrayOutputStream {
    Out() {
      super(1 << 16);
    }

    void varint(long v) {
      while ((v & ~0x7fL) != 0) {
        write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      write((int) v);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      write(b, 0, b.length);
    }
  }

  /** A cursor over the body; reading past the end throws. */
  private static final class In {
    private final byte[] b;
    private int pos;

    In(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long at byte " + pos);
    }

    int count() {
      long v = varint();
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("count " + v + " too large at byte " + pos);
      }
      return (int) v;
    }

    String string() {
      int n = count();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    byte[] bytes(int n) {
      if (n > b.length - pos) {
        throw new IllegalArgumentException("truncated at byte " + pos);
      }
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    boolean atEnd() {
      return pos == b.length;
    }
  }
}
