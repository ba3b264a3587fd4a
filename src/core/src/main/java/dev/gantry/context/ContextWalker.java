package dev.gantry.context;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lists the entries of a context directory that a build may use, as BuildKit's context transfer
 * does.
 *
 * <p>The walk is depth first with the names of each directory in code-point order (so
 * {@code a/b} comes before {@code a.txt}). Symbolic links are reported as links and never
 * followed, so the walk cannot leave the context. An ignored file is left out. An ignored
 * directory is skipped whole unless an exception may re-include something below it ({@link
 * IgnoreMatcher#mayReincludeUnder}); then it is walked, and it is listed (just before its first
 * listed descendant) only when something inside it is re-included. A regular file whose inode was
 * already listed carries the first path in {@link ContextEntry#hardlinkOf()}.
 */
public final class ContextWalker {
  private final IgnoreMatcher matcher;
  private final List<ContextEntry> out = new ArrayList<>();
  private final List<PendingDir> pending = new ArrayList<>();
  private final Map<FileId, String> firstPathOfInode = new HashMap<>();

  private ContextWalker(IgnoreMatcher matcher) {
    this.matcher = matcher;
  }

  /**
   * The included entries below {@code contextDir} (not the root itself), in walk order.
   *
   * @throws IgnorePatternException when a pattern cannot be compiled
   */
  public static List<ContextEntry> walk(Path contextDir, IgnoreMatcher matcher) throws IOException {
    Objects.requireNonNull(matcher, "matcher");
    Path root = contextDir.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(contextDir.toString(), null, "build context is not a directory");
    }
    ContextWalker walker = new ContextWalker(matcher);
    walker.visit(root, "", IgnoreMatcher.Result.UNKNOWN);
    return List.copyOf(walker.out);
  }

  private void visit(Path dir, String dirRel, IgnoreMatcher.Result parent) throws IOException {
    for (String name : sortedNames(dir)) {
      String rel = dirRel.isEmpty() ? name : dirRel + "/" + name;
      ContextEntry entry;
      try {
        entry = Stat.of(dir.resolve(name), rel);
      } catch (NoSuchFileException vanished) {
        continue;
      }
      IgnoreMatcher.Result result = matcher.match(rel, parent);
      if (!result.ignored()) {
        emit(entry);
        if (entry.isDirectory()) {
          visit(dir.resolve(name), rel, result);
        }
      } else if (entry.isDirectory() && matcher.mayReincludeUnder(rel)) {
        PendingDir p = new PendingDir(entry);
        pending.add(p);
        visit(dir.resolve(name), rel, result);
        pending.remove(pending.size() - 1);
      }
    }
  }

  private void emit(ContextEntry entry) {
    for (PendingDir p : pending) {
      if (!p.emitted) {
        out.add(p.entry);
        p.emitted = true;
      }
    }
    if (entry.type() == EntryType.FILE && entry.linkCount() > 1
        && (entry.fileId().inode() != 0 || entry.fileId().device() != 0)) {
      String first = firstPathOfInode.putIfAbsent(entry.fileId(), entry.path());
      if (first != null) {
        entry = entry.withHardlinkOf(first);
      }
    }
    out.add(entry);
  }

  private static List<String> sortedNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    } catch (NoSuchFileException vanished) {
      return names;
    }
    names.sort(ContextWalker::compareCodePoints);
    return names;
  }

  /** Orders strings by code point, which is the byte order of their UTF-8 encodings. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** An ignored directory that is listed only if something below it is. */
  private static final class PendingDir {
    final ContextEntry entry;
    boolean emitted;

    PendingDir(ContextEntry entry) {
      this.entry = entry;
    }
  }
}
