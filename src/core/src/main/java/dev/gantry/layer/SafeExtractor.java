package dev.gantry.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a (possibly compressed) tar into a directory, safely against hostile archives.
 *
 * <p>Rules: every path is resolved component by component inside the root; a symlink met on the
 * way is followed as if the root were {@code /} (absolute targets and {@code ..} never leave the
 * root), and the last component is never followed (an existing symlink there is replaced, not
 * written through). Entry names that climb above the root with {@code ..} are refused with an
 * {@link UnsafeArchiveException} naming the entry; absolute names are refused too unless
 * {@link #confineAbsoluteNames(boolean)} is set, which treats them as relative to the root. Hard
 * links must name an entry inside the root (same rules) that is not a directory. Devices and FIFOs
 * are skipped unless allowed. Whiteouts are applied only when asked; otherwise they are written as
 * the empty files they are. Directory modes and times are applied last, so read-only directories
 * can still be filled. This class is immutable and thread-safe.
 */
public final class SafeExtractor {
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final boolean confineAbsolute;
  private final boolean allowDevices;
  private final boolean applyWhiteouts;
  private final boolean preserveOwners;

  private SafeExtractor(boolean confineAbsolute, boolean allowDevices, boolean applyWhiteouts,
      boolean preserveOwners) {
    this.confineAbsolute = confineAbsolute;
    this.allowDevices = allowDevices;
    this.applyWhiteouts = applyWhiteouts;
    this.preserveOwners = preserveOwners;
  }

  /** What an extraction did: how many entries were written and which were skipped. */
  public record Result(int written, List<String> skipped) {
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  /** An extractor that refuses absolute names, skips devices and keeps whiteouts as files. */
  public static SafeExtractor create() {
    return new SafeExtractor(false, false, false, false);
  }

  /** A copy that treats absolute names as relative to the root instead of refusing them. */
  public SafeExtractor confineAbsoluteNames(boolean on) {
    return new SafeExtractor(on, allowDevices, applyWhiteouts, preserveOwners);
  }

  /** A copy that creates device and FIFO entries (needs privileges) instead of skipping them. */
  public SafeExtractor allowDevices(boolean on) {
    return new SafeExtractor(confineAbsolute, on, applyWhiteouts, preserveOwners);
  }

  /** A copy that applies whiteouts (deletes what they name) instead of writing them as files. */
  public SafeExtractor applyWhiteouts(boolean on) {
    return new SafeExtractor(confineAbsolute, allowDevices, on, preserveOwners);
  }

  /** A copy that sets owners and {@code user.*} extended attributes from the archive (needs privileges). */
  public SafeExtractor preserveOwners(boolean on) {
    return new SafeExtractor(confineAbsolute, allowDevices, applyWhiteouts, on);
  }

  /** Extracts {@code archive} (tar, or tar compressed any way {@link Archives} knows) into root. */
  public Result extract(InputStream archive, Path root) throws IOException {
    Files.createDirectories(root);
    Path realRoot = root.toRealPath();
    Run run = new Run(realRoot);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Archives.open(archive), "UTF-8")) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        run.entry(tar, e);
      }
    }
    run.finish();
    return new Result(run.written, run.skipped);
  }

  private final class Run {
    final Path root;
    final Set<Path> writtenPaths = new HashSet<>();
    final Map<Path, TarArchiveEntry> dirs = new LinkedHashMap<>();
    final List<String> skipped = new ArrayList<>();
    int written;

    Run(Path root) {
      this.root = root;
    }

    void entry(InputStream data, TarArchiveEntry e) throws IOException {
      String raw = e.getName();
      String rel = EntryNames.check(raw, confineAbsolute);
      if (rel.isEmpty()) {
        if (e.isDirectory()) {
          dirs.put(root, e);
        }
        return;
      }
      String name = LayerPaths.name(rel);
      Path parent = mkdirs(resolve(LayerPaths.parent(rel), raw, true), raw);
      if (applyWhiteouts && name.equals(LayerPaths.OPAQUE_MARKER)) {
        clearOpaque(parent);
        return;
      }
      if (applyWhiteouts && name.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
        String victim = name.substring(LayerPaths.WHITEOUT_PREFIX.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
          throw new UnsafeArchiveException(raw, "invalid whiteout name");
        }
        deleteTree(parent.resolve(victim));
        return;
      }
      Path target = parent.resolve(name);
      if ((e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) && !allowDevices) {
        skipped.add(raw);
        return;
      }
      if (e.isDirectory()) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(target);
          Files.createDirectory(target);
        }
        dirs.put(target, e);
      } else {
        deleteTree(target);
        create(data, e, target, raw);
        attributes(target, e);
      }
      writtenPaths.add(target);
      written++;
    }

    private void create(InputStream data, TarArchiveEntry e, Path target, String raw)
        throws IOException {
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      } else if (e.isLink()) {
        String linkRel;
        try {
          linkRel = EntryNames.check(e.getLinkName(), confineAbsolute);
        } catch (UnsafeArchiveException bad) {
          throw new UnsafeArchiveException(raw, "hard link target \"" + e.getLinkName()
              + "\" is outside the root");
        }
        if (linkRel.isEmpty()) {
          throw new UnsafeArchiveException(raw, "hard link to the root");
        }
        Path existing = resolve(linkRel, raw, false);
        if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)
            || Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveException(raw, "hard link target \"" + e.getLinkName()
              + "\" is not a file extracted inside the root");
        }
        Files.createLink(target, existing);
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        mknod(e, target);
      } else {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          data.transferTo(out);
        }
      }
    }

    /** Resolves a clean relative path inside the root, following symlinks within it. */
    Path resolve(String rel, String raw, boolean followLast) throws IOException {
      try {
        return RootedPaths.resolve(root, rel, followLast);
      } catch (RootedPaths.LinkLoopException e) {
        throw new UnsafeArchiveException(raw, "too many levels of symbolic links");
      }
    }

    private Path mkdirs(Path dir, String raw) throws IOException {
      Path rel = root.relativize(dir);
      Path p = root;
      for (Path c : rel) {
        if (c.toString().isEmpty()) {
          continue;
        }
        p = p.resolve(c);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(p);
        } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveException(raw, "parent " + root.relativize(p)
              + " is not a directory");
        }
      }
      return dir;
    }

    private void clearOpaque(Path dir) throws IOException {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (var children = Files.list(dir)) {
        for (Path c : children.toList()) {
          boolean keep = writtenPaths.stream().anyMatch(w -> w.startsWith(c));
          if (!keep) {
            deleteTree(c);
          } else if (!writtenPaths.contains(c) && Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
            clearOpaque(c);
          }
        }
      }
    }

    private void attributes(Path p, TarArchiveEntry e) throws IOException {
      if (e.isSymbolicLink()) {
        return;
      }
      if (e.isLink()) {
        return;
      }
      if (preserveOwners) {
        // owners first: changing the owner of a file clears its setuid and setgid bits
        Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        userXattrs(p, e);
      }
      Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
      Files.setLastModifiedTime(p, FileTime.from(e.getLastModifiedTime().toInstant()));
    }

    /** Restores {@code user.*} extended attributes (PAX {@code SCHILY.xattr.user.*}); other namespaces are skipped. */
    private void userXattrs(Path p, TarArchiveEntry e) throws IOException {
      for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
        String key = x.getKey();
        if (key.startsWith(XATTR_PREFIX + "user.")) {
          UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS);
          if (view != null) {
            view.write(key.substring(XATTR_PREFIX.length() + 5),
                ByteBuffer.wrap(x.getValue().getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
    }

    void finish() throws IOException {
      List<Map.Entry<Path, TarArchiveEntry>> list = new ArrayList<>(dirs.entrySet());
      for (int i = list.size() - 1; i >= 0; i--) {
        Path p = list.get(i).getKey();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          attributes(p, list.get(i).getValue());
        }
      }
    }
  }

  private void mknod(TarArchiveEntry e, Path target) throws IOException {
    List<String> cmd = e.isFIFO() ? List.of("mkfifo", target.toString())
        : List.of("mknod", target.toString(), e.isCharacterDevice() ? "c" : "b",
            Integer.toString(e.getDevMajor()), Integer.toString(e.getDevMinor()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("cannot create " + e.getName() + ": " + out.trim());
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted creating " + e.getName(), ie);
    }
  }

  /** Deletes a path and everything under it, never following symlinks. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(p)) {
        for (Path c : children.toList()) {
          deleteTree(c);
        }
      }
    }
    try {
      Files.delete(p);
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      throw new IOException("cannot delete " + p, e);
    }
  }
}
