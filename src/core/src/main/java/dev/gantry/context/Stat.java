package dev.gantry.context;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
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
    if (Lstat.AVAILABLE) {
      ContextEntry e = Lstat.of(file, rel);
      if (e != null) {
        return e;
      }
    }
    if (UNIX_VIEW) {
      return portable(file, rel);
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

  /** Whether entries are read by the direct path (the JDK lets this code read its lstat result). */
  static boolean direct() {
    return Lstat.AVAILABLE;
  }

  /** The entry for {@code file} read through the unix attribute view (one lstat). */
  static ContextEntry portable(Path file, String rel) throws IOException {
    Map<String, Object> a = Files.readAttributes(file,
        "unix:mode,dev,ino,nlink,ctime,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    return unix(file, rel, (Integer) a.get("mode"), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS),
        new FileId((Long) a.get("dev"), (Long) a.get("ino")), (Integer) a.get("nlink"));
  }

  private static ContextEntry unix(Path file, String rel, int raw, long size, long mtime,
      long ctime, FileId id, int nlink) throws IOException {
    int fmt = raw & 0170000;
    EntryType type = fmt == 0120000 ? EntryType.SYMLINK : fmt == 0040000 ? EntryType.DIRECTORY
        : fmt == 0100000 ? EntryType.FILE : EntryType.OTHER;
    String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
    return new ContextEntry(rel, type, raw & 07777, type == EntryType.FILE ? size : 0, target,
        mtime, ctime, id, nlink, "");
  }

  private static int permissions(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  /**
   * The lstat result the JDK already holds, read field by field. The unix attribute view answers
   * through a map built from an attribute-name string on every call, which costs more than the
   * system call itself when a context has tens of thousands of files. Reading the fields needs
   * java.base to open sun.nio.fs to this code (the CLI's jar manifest does so); without it, or
   * on a JDK whose attribute class differs, {@link #AVAILABLE} is false and the view is used.
   */
  private static final class Lstat {
    static final boolean AVAILABLE;
    private static final Class<?> ATTRS;
    private static final VarHandle MODE;
    private static final VarHandle INO;
    private static final VarHandle DEV;
    private static final VarHandle NLINK;
    private static final VarHandle SIZE;
    private static final VarHandle MTIME_SEC;
    private static final VarHandle MTIME_NSEC;
    private static final VarHandle CTIME_SEC;
    private static final VarHandle CTIME_NSEC;

    static {
      Class<?> attrs = null;
      VarHandle[] h = new VarHandle[9];
      boolean ok = false;
      if (UNIX_VIEW) {
        try {
          attrs = Class.forName("sun.nio.fs.UnixFileAttributes");
          MethodHandles.Lookup in = MethodHandles.privateLookupIn(attrs, MethodHandles.lookup());
          String[] names = {"st_mode", "st_ino", "st_dev", "st_nlink", "st_size", "st_mtime_sec",
              "st_mtime_nsec", "st_ctime_sec", "st_ctime_nsec"};
          Class<?>[] types = {int.class, long.class, long.class, int.class, long.class, long.class,
              long.class, long.class, long.class};
          for (int i = 0; i < names.length; i++) {
            h[i] = in.findVarHandle(attrs, names[i], types[i]);
          }
          ok = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
          // not opened to this code (a library user's JVM) or another JDK layout: use the view
        }
      }
      AVAILABLE = ok;
      ATTRS = attrs;
      MODE = h[0];
      INO = h[1];
      DEV = h[2];
      NLINK = h[3];
      SIZE = h[4];
      MTIME_SEC = h[5];
      MTIME_NSEC = h[6];
      CTIME_SEC = h[7];
      CTIME_NSEC = h[8];
    }

    private Lstat() {}

    /** The entry, or null when the file system answered with another attribute class. */
    static ContextEntry of(Path file, String rel) throws IOException {
      PosixFileAttributes a =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.getClass() != ATTRS) {
        return null;
      }
      long mtime = nanos((long) MTIME_SEC.get(a), (long) MTIME_NSEC.get(a));
      long ctime = nanos((long) CTIME_SEC.get(a), (long) CTIME_NSEC.get(a));
      return unix(file, rel, (int) MODE.get(a), (long) SIZE.get(a), mtime, ctime,
          new FileId((long) DEV.get(a), (long) INO.get(a)), (int) NLINK.get(a));
    }

    /** Nanoseconds since the epoch, saturated as {@link FileTime#to} does. */
    private static long nanos(long sec, long nsec) {
      long whole = sec * 1_000_000_000L;
      if (Math.multiplyHigh(sec, 1_000_000_000L) != (whole >> 63)) {
        return sec < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      long sum = whole + nsec;
      return ((whole ^ sum) & (nsec ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
  }
}
