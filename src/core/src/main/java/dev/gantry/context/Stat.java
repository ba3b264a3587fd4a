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
    if (UNIX_VIEW) {
      // one lstat: the unix view carries the basic attributes too
      Map<String, Object> a = Files.readAttributes(file,
          "unix:mode,dev,ino,nlink,ctime,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      int raw = (Integer) a.get("mode");
      int fmt = raw & 0170000;
      EntryType type = fmt == 0120000 ? EntryType.SYMLINK : fmt == 0040000 ? EntryType.DIRECTORY
          : fmt == 0100000 ? EntryType.FILE : EntryType.OTHER;
      long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
      long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
      String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
      long size = type == EntryType.FILE ? (Long) a.get("size") : 0;
      FileId id = new FileId((Long) a.get("dev"), (Long) a.get("ino"));
      return new ContextEntry(rel, type, raw & 07777, size, target, mtime, ctime, id,
          (Integer) a.get("nlink"), "");
    }
    BasicFileAttributes basic =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    EntryType type = basic.isSymbolicLink() ? EntryType.SYMLINK
        : basic.isDirectory() ? EntryType.DIRECTORY
        : basic.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
    long mtime = basic.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
    long size = type == EntryType.FILE ? basic.size() : 0;
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
