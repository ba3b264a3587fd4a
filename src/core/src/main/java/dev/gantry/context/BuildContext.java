package dev.gantry.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a build context: the directory, the ignore rules, and the entries a build may use.
 *
 * <p>Sources of COPY/ADD are resolved against the snapshot only, so an ignored file can never be
 * copied, and a source that climbs out of the context ({@code ../x}) is refused. Symbolic links
 * inside the context are followed while resolving a source's directories, scoped to the context
 * root; the selected entries themselves are returned as they are ({@link #followSymlink} follows
 * one).
 *
 * <p>This class is immutable and thread-safe (the files on disk may of course change).
 */
public final class BuildContext {
  private final Path root;
  private final IgnoreMatcher matcher;
  private final String ignoreFileName;
  private final ContextEntry rootEntry;
  private final List<ContextEntry> entries;
  private final Map<String, ContextEntry> byPath;

  private BuildContext(Path root, IgnoreMatcher matcher, String ignoreFileName,
      ContextEntry rootEntry, List<ContextEntry> entries) {
    this.root = root;
    this.matcher = matcher;
    this.ignoreFileName = ignoreFileName;
    this.rootEntry = rootEntry;
    this.entries = List.copyOf(entries);
    Map<String, ContextEntry> map = new HashMap<>();
    this.entries.forEach(e -> map.put(e.path(), e));
    this.byPath = Map.copyOf(map);
  }

  /**
   * Walks {@code contextDir} with {@code matcher}.
   *
   * @throws IgnorePatternException when a pattern cannot be compiled
   */
  public static BuildContext open(Path contextDir, IgnoreMatcher matcher) throws IOException {
    return open(contextDir, matcher, IgnoreFile.NAME);
  }

  /**
   * Walks {@code contextDir} with the ignore file that applies to {@code dockerfile} (null when the
   * Dockerfile does not come from disk): see {@link IgnoreFile#load}.
   *
   * @throws IgnorePatternException when the ignore file has an invalid pattern
   */
  public static BuildContext open(Path contextDir, Path dockerfile) throws IOException {
    IgnoreFile ignore = IgnoreFile.load(contextDir, dockerfile);
    return open(contextDir, ignore.matcher(), ignore.displayName());
  }

  private static BuildContext open(Path contextDir, IgnoreMatcher matcher, String ignoreName)
      throws IOException {
    Path root = contextDir.toRealPath();
    List<ContextEntry> entries = ContextWalker.walk(root, matcher);
    return new BuildContext(root, matcher, ignoreName, Stat.of(root, "."), entries);
  }

  /** The context directory (its real path). */
  public Path root() {
    return root;
  }

  /** The ignore rules the snapshot was taken with. */
  public IgnoreMatcher matcher() {
    return matcher;
  }

  /** The name of the ignore file that applied, for messages. */
  public String ignoreFileName() {
    return ignoreFileName;
  }

  /** The included entries in walk order (without the root). */
  public List<ContextEntry> entries() {
    return entries;
  }

  /** The included entry at the clean relative {@code path}; {@code "."} is the root. */
  public Optional<ContextEntry> entry(String path) {
    return path.equals(".") ? Optional.of(rootEntry) : Optional.ofNullable(byPath.get(path));
  }

  /** The file on disk behind an entry. */
  public Path file(ContextEntry entry) {
    return entry.path().equals(".") ? root : root.resolve(entry.path());
  }

  /**
   * What a COPY/ADD source selects. Wildcards ({@code *}, {@code ?}, {@code [...]}, Go
   * {@code filepath.Match} syntax, {@code \} escapes) may appear in any element; the directories
   * before the first wildcard are resolved, then every entry below them whose relative path matches
   * the rest is selected (a selected directory stands for its subtree). A leading {@code /} means
   * the context root.
   *
   * @throws ContextPathException when the source climbs out of the context
   * @throws IgnorePatternException when the wildcard part is malformed
   */
  public SourceMatch resolveSource(String source) throws IOException {
    Objects.requireNonNull(source, "source");
    String rel = SourceResolver.normalize(source);
    String[] split = SourceResolver.splitWildcards(rel);
    if (split[1].isEmpty()) {
      String resolved = SourceResolver.resolve(this::lookup, rel, false);
      Optional<ContextEntry> found = resolved == null ? Optional.empty() : entry(resolved);
      if (found.isPresent()) {
        return new SourceMatch(source, List.of(found.get()), false);
      }
      return new SourceMatch(source, List.of(), existsOnDisk(rel));
    }
    GoGlob.validate(split[1]);
    List<ContextEntry> selected = select(split[0], split[1]);
    if (!selected.isEmpty()) {
      return new SourceMatch(source, selected, false);
    }
    return new SourceMatch(source, List.of(), matchesOnDisk(split[0], split[1]));
  }

  /** The entry a symbolic link points to inside the context, following chains; empty if none. */
  public Optional<ContextEntry> followSymlink(ContextEntry link) throws IOException {
    return resolveFollowing(link.path());
  }

  /**
   * The entry at {@code path} (relative, or absolute from the context root) with every symbolic
   * link on the way followed inside the context, the last one too, as BuildKit resolves a mount
   * source in its copy of the context: an absolute target starts again at the context root and
   * {@code ..} stops there. Empty when nothing is there.
   */
  public Optional<ContextEntry> resolveFollowing(String path) throws IOException {
    String rel = GoPaths.clean("/" + path).substring(1);
    String resolved = SourceResolver.resolve(this::lookup, rel.isEmpty() ? "." : rel, true);
    return resolved == null ? Optional.empty() : entry(resolved);
  }

  private ContextEntry lookup(String rel) {
    return byPath.get(rel);
  }

  private List<ContextEntry> select(String baseRel, String glob) throws IOException {
    String base = SourceResolver.resolve(this::lookup, baseRel, true);
    List<ContextEntry> out = new ArrayList<>();
    if (base == null || entry(base).filter(ContextEntry::isDirectory).isEmpty()) {
      return out;
    }
    String prefix = base.equals(".") ? "" : base + "/";
    String skipBelow = null;
    for (ContextEntry e : entries) {
      if (!e.path().startsWith(prefix)
          || (skipBelow != null && e.path().startsWith(skipBelow))) {
        continue;
      }
      if (GoGlob.match(glob, e.path().substring(prefix.length()))) {
        out.add(e);
        skipBelow = e.isDirectory() ? e.path() + "/" : null;
      }
    }
    return out;
  }

  private ContextEntry lookupOnDisk(String rel) throws IOException {
    try {
      return Stat.of(root.resolve(rel), rel);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private boolean existsOnDisk(String rel) throws IOException {
    String resolved = SourceResolver.resolve(this::lookupOnDisk, rel, false);
    return resolved != null && (resolved.equals(".") || lookupOnDisk(resolved) != null);
  }

  private boolean matchesOnDisk(String baseRel, String glob) throws IOException {
    String base = SourceResolver.resolve(this::lookupOnDisk, baseRel, true);
    if (base == null) {
      return false;
    }
    Path dir = base.equals(".") ? root : root.resolve(base);
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    boolean[] found = {false};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          return visit(d);
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          return visit(f);
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        private FileVisitResult visit(Path p) {
          if (p.equals(dir)) {
            return FileVisitResult.CONTINUE;
          }
          String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
          if (GoGlob.match(glob, rel)) {
            found[0] = true;
            return FileVisitResult.TERMINATE;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    return found[0];
  }

  @Override
  public String toString() {
    return "BuildContext[" + root + ", " + entries.size() + " entries, " + matcher + "]";
  }
}
