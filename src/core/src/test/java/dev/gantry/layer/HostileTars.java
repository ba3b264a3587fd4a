package dev.gantry.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds raw tar streams with arbitrary (hostile) names, which the layer writer would refuse. */
final class HostileTars {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

  HostileTars() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
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

  byte[] bytes() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }
}
