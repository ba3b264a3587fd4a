package dev.gantry.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds raw tar streams with arbitrary (hostile) names, which the layer writer would refuse. Names
 * are byte strings: one char per byte ({@code "n-\u00ff"} is the name {@code n-} followed by byte
 * 0xff), written as they are into the header (or a PAX record when longer than 100 bytes).
 */
final class HostileTars {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "ISO-8859-1");

  HostileTars() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  HostileTars file(String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
    e.setSize(b.length);
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
    return this;
  }

  HostileTars dir(String name, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
    e.setMode(040000 | mode);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  HostileTars link(String name, String target, byte flag) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setLinkName(target);
    e.setMode(flag == TarArchiveEntry.LF_SYMLINK ? 0120777 : 0100644);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  HostileTars symlink(String name, String target) throws IOException {
    return link(name, target, TarArchiveEntry.LF_SYMLINK);
  }

  HostileTars hardlink(String name, String target) throws IOException {
    return link(name, target, TarArchiveEntry.LF_LINK);
  }

  HostileTars device(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_CHR, true);
    e.setDevMajor(1);
    e.setDevMinor(3);
    e.setMode(020666);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  /** A file with owner, all 12 mode bits and PAX headers (for example {@code SCHILY.xattr.user.k}). */
  HostileTars file(String name, String content, int mode, int uid, int gid, java.util.Map<String, String> pax)
      throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
    e.setSize(b.length);
    e.setMode(0100000 | mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    pax.forEach(e::addPaxHeader);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
    return this;
  }

  /** A directory with all its metadata. */
  HostileTars dir(String name, int mode, int uid, int gid, java.time.Instant mtime) throws IOException {
    return node(name, TarArchiveEntry.LF_DIR, 040000 | mode, uid, gid, mtime, 0, 0);
  }

  /** A FIFO ({@code LF_FIFO}) or device node ({@code LF_CHR}, {@code LF_BLK}) with all its metadata. */
  HostileTars node(String name, byte type, int mode, int uid, int gid, java.time.Instant mtime, int major,
      int minor) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setLastModifiedTime(java.nio.file.attribute.FileTime.from(mtime));
    if (type == TarArchiveEntry.LF_CHR || type == TarArchiveEntry.LF_BLK) {
      e.setDevMajor(major);
      e.setDevMinor(minor);
    }
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  /** A file whose name is given only by a PAX {@code path} record holding {@code path}'s bytes as they are. */
  HostileTars paxNamedFile(byte[] path, String content) throws IOException {
    paxPath(path);
    return file("placeholder", content);
  }

  /** A directory (mode 0755) named only by a PAX {@code path} record, which may be of any length. */
  HostileTars paxNamedDir(byte[] path) throws IOException {
    paxPath(path);
    return dir("placeholder/", 0755);
  }

  private void paxPath(byte[] path) throws IOException {
    int len = "path=".length() + path.length + 2;
    len += Integer.toString(len + Integer.toString(len).length()).length();
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    pax.write((len + " path=").getBytes(StandardCharsets.US_ASCII));
    pax.write(path);
    pax.write('\n');
    TarArchiveEntry h = new TarArchiveEntry("PaxHeaders/x", TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, true);
    h.setSize(pax.size());
    tar.putArchiveEntry(h);
    tar.write(pax.toByteArray());
    tar.closeArchiveEntry();
  }

  byte[] bytes() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }
}
