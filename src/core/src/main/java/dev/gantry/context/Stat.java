package dev.gantry.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reads one path's metadata without following a final symbolic link. */
final class Stat {
  private static final boolean UNIX_VIEW =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  private Stat() {}

  /** The entry for {@code file}, named {@code rel} in the context. */
  static ContextEntry of(Path file, String rel) throws IOException {
    BasicFileAttributes basic =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    EntryType type = basic.isSymbolicLink() ? EntryType.SYMLINK
        : basic.isDirectory() ? EntryType.DIRECTORY
        : basic.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
    long mtime = basic.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
    long size = type == EntryType.FILE ? basic.size() : 0;
    if (UNIX_VIEW) {
      Map<String, Object> a =
          Files.readAttributes(file, "unix:mode,dev,ino,nlink,ctime", LinkOption.NOFOLLOW_LINKS);
      int mode = ((Integer) a.get("mode")) & 07777;
      long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
      FileId id = new FileId((Long) a.get("dev"), (Long) a.get("ino"));
      return new ContextEntry(rel, type, mode, size, target, mtime, ctime, id,
          (Integer) a.get("nlink"), "");
    }
    int mode = type == EntryType.DIRECTORY ? 0755 : 0644;
    try {
      mode = permissions(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    } catch (UnsupportedOperationException e) {
      // keep the default
    }
    return new ContextEntry(rel, type, mode, size, target, mtime, mtime, new FileId(0, 0), 1, "");
  }

  private static int permissions(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
