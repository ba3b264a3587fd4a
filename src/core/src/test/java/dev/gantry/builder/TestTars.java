package dev.gantry.builder;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds tar archives for ADD tests: any names (also hostile ones), modes, owners and links. */
final class TestTars {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

  TestTars() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  TestTars file(String name, String content, int mode, int uid, int gid) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL, 0100000 | mode, uid, gid);
    e.setSize(b.length);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
    return this;
  }

  TestTars file(String name, String content) throws IOException {
    return file(name, content, 0644, 0, 0);
  }

  TestTars dir(String name, int mode, int uid, int gid) throws IOException {
    tar.putArchiveEntry(entry(name, TarArchiveEntry.LF_DIR, 040000 | mode, uid, gid));
    tar.closeArchiveEntry();
    return this;
  }

  TestTars symlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_SYMLINK, 0120777, 0, 0);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  TestTars hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_LINK, 0100644, 0, 0);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  /** A device node or FIFO entry ({@code flag} is {@code LF_CHR}, {@code LF_BLK} or {@code LF_FIFO}). */
  TestTars special(String name, byte flag, int mode, int major, int minor) throws IOException {
    int type = flag == TarArchiveEntry.LF_CHR ? 020000 : flag == TarArchiveEntry.LF_BLK ? 060000 : 010000;
    TarArchiveEntry e = entry(name, flag, type | mode, 0, 0);
    if (flag != TarArchiveEntry.LF_FIFO) {
      e.setDevMajor(major);
      e.setDevMinor(minor);
    }
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  private static TarArchiveEntry entry(String name, byte flag, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setMode(mode);
    e.setIds(uid, gid);
    e.setModTime(new Date(1_600_000_000_000L));
    return e;
  }

  /** The uncompressed tar. */
  byte[] tar() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }

  /** Compression formats ADD detects by content. */
  enum Format {
    TAR, GZIP, BZIP2, XZ, ZSTD
  }

  static byte[] compress(byte[] tar, Format f) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream os = wrap(out, f)) {
      os.write(tar);
    }
    return out.toByteArray();
  }

  private static OutputStream wrap(OutputStream out, Format f) throws IOException {
    return switch (f) {
      case TAR -> out;
      case GZIP -> new GZIPOutputStream(out);
      case BZIP2 -> new BZip2CompressorOutputStream(out);
      case XZ -> new XZCompressorOutputStream(out);
      case ZSTD -> new ZstdOutputStream(out);
    };
  }
}
