package dev.gantry.oracle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tiny root filesystem tar made from Debian's busybox-static: {@code /bin/busybox} with
 * applet links, {@code /etc/passwd} and {@code /etc/group} (root, app 1000, nobody; groups root,
 * staff 50, app 1000), {@code /tmp} (1777) and home directories. Deterministic bytes.
 */
public final class BusyboxRootfs {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final String[] APPLETS = {"sh", "ls", "cat", "echo", "mkdir", "rm", "chmod", "chown", "ln",
      "touch", "id", "adduser", "addgroup", "env", "pwd", "stat", "printf", "true", "false", "sleep", "test"};

  private BusyboxRootfs() {}

  /** True when busybox-static is installed. */
  public static boolean available() {
    return Files.isExecutable(BUSYBOX);
  }

  /** Writes the tar to {@code file}. */
  public static Path write(Path file) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dir(tar, "bin/", 0755, 0, 0);
      byte[] bb = Files.readAllBytes(BUSYBOX);
      file(tar, "bin/busybox", bb, 0755, 0, 0);
      for (String a : APPLETS) {
        TarArchiveEntry e = new TarArchiveEntry("bin/" + a, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName("busybox");
        e.setModTime(new Date(0));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
      dir(tar, "etc/", 0755, 0, 0);
      file(tar, "etc/passwd", ("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
      file(tar, "etc/group", "root:x:0:\nstaff:x:50:app\napp:x:1000:\nnogroup:x:65534:\n"
          .getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
      dir(tar, "home/", 0755, 0, 0);
      dir(tar, "home/app/", 0755, 1000, 1000);
      dir(tar, "root/", 0700, 0, 0);
      dir(tar, "tmp/", 01777, 0, 0);
    }
    return file;
  }

  private static void dir(TarArchiveOutputStream tar, String name, int mode, int uid, int gid) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040000 | mode);
    e.setIds(uid, gid);
    e.setModTime(new Date(0));
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode, int uid, int gid)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setIds(uid, gid);
    e.setSize(data.length);
    e.setModTime(new Date(0));
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }
}
