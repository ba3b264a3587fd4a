package dev.gantry.context;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of {@code .dockerignore} patterns that decides which context paths are ignored.
 *
 * <p>Rules (BuildKit's): patterns apply in order and the last one that matches wins; a path is
 * ignored when it or any of its ancestor directories matches an ordinary pattern, and an exception
 * ({@code !pattern}) matching the path or an ancestor re-includes it. An exception placed before
 * the pattern it should override has no effect. The context root ({@code "."}) is never ignored.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class IgnoreMatcher {
  private static final String PATTERN_CHARS = "*[]?^\\";
  private static final IgnoreMatcher NONE = new IgnoreMatcher(List.of());

  private final List<IgnorePattern> patterns;
  private final boolean exclusions;
  private final boolean onlyPrefixExceptions;

  private IgnoreMatcher(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
    this.exclusions = this.patterns.stream().anyMatch(IgnorePattern::exclusion);
    this.onlyPrefixExceptions = this.patterns.stream()
        .filter(IgnorePattern::exclusion)
        .map(IgnorePattern::withoutTrailingGlob)
        .noneMatch(p -> p.chars().anyMatch(c -> PATTERN_CHARS.indexOf(c) >= 0));
  }

  /**
   * A matcher for {@code patterns} in order; blank patterns are dropped.
   *
   * @throws IgnorePatternException for a lone {@code !} or a pattern with invalid syntax
   */
  public static IgnoreMatcher of(List<String> patterns) {
    List<IgnorePattern> parsed = new ArrayList<>();
    for (String p : patterns) {
      if (!GoPaths.trimSpace(p).isEmpty()) {
        parsed.add(IgnorePattern.parse(p));
      }
    }
    return new IgnoreMatcher(parsed);
  }

  /** The matcher that ignores nothing. */
  public static IgnoreMatcher none() {
    return NONE;
  }

  /** The patterns in order. */
  public List<IgnorePattern> patterns() {
    return patterns;
  }

  /** Whether any pattern is an exception ({@code !pattern}). */
  public boolean hasExclusions() {
    return exclusions;
  }

  /** Whether there are no patterns at all. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /**
   * Whether the slash-separated context path is ignored: it or an ancestor matches and no later
   * exception re-includes it. The path is cleaned first; {@code "."} is never ignored.
   *
   * @throws IgnorePatternException when a pattern cannot be compiled
   */
  public boolean matches(String path) {
    String file = GoPaths.clean(Objects.requireNonNull(path, "path"));
    if (file.equals(".")) {
      return false;
    }
    return match(file, Result.UNKNOWN).ignored();
  }

  /**
   * Matches {@code path} during a walk, reusing the result of its parent directory ({@link
   * Result#UNKNOWN} for entries at the top of the context, or when the parent was not matched).
   * Per pattern, a parent that matched counts as a match of the child, as in BuildKit's walker.
   *
   * @throws IgnorePatternException when a pattern cannot be compiled
   */
  public Result match(String path, Result parent) {
    BitSet inherited = parent.perPattern;
    boolean known = parent != Result.UNKNOWN;
    BitSet matchedPatterns = new BitSet(patterns.size());
    boolean ignored = false;
    String parentPath = known ? null : GoPaths.dir(path);
    for (int i = 0; i < patterns.size(); i++) {
      IgnorePattern pattern = patterns.get(i);
      boolean match = known && inherited.get(i);
      if (!match) {
        if (pattern.exclusion() != ignored) {
          continue;
        }
        match = pattern.matches(path);
        if (!match && !known && !parentPath.equals(".")) {
          match = anyParentMatches(pattern, parentPath);
        }
      }
      matchedPatterns.set(i, match);
      if (match) {
        ignored = !pattern.exclusion();
      }
    }
    return new Result(ignored, matchedPatterns);
  }

  private static boolean anyParentMatches(IgnorePattern pattern, String parentPath) {
    for (int slash = parentPath.indexOf('/'); ; slash = parentPath.indexOf('/', slash + 1)) {
      String prefix = slash < 0 ? parentPath : parentPath.substring(0, slash);
      if (pattern.matches(prefix)) {
        return true;
      }
      if (slash < 0) {
        return false;
      }
    }
  }

  /**
   * Whether an ignored directory may still contain entries that an exception re-includes, so a
   * walker has to descend into it. False means the whole directory can be skipped. The answer is
   * conservative: any exception with a wildcard before its last segment keeps every ignored
   * directory open; otherwise only directories that are a prefix of some exception's path are.
   */
  public boolean mayReincludeUnder(String dir) {
    if (!exclusions) {
      return false;
    }
    if (!onlyPrefixExceptions) {
      return true;
    }
    String dirSlash = dir + "/";
    for (IgnorePattern p : patterns) {
      if (p.exclusion() && (p.withoutTrailingGlob() + "/").startsWith(dirSlash)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return patterns.toString();
  }

  /**
   * The outcome of matching one path: whether it is ignored, and which patterns matched it (passed
   * to {@link #match} for its children).
   */
  public static final class Result {
    /** No information about a parent: parents are checked by matching their paths. */
    public static final Result UNKNOWN = new Result(false, new BitSet());

    private final boolean ignored;
    private final BitSet perPattern;

    private Result(boolean ignored, BitSet perPattern) {
      this.ignored = ignored;
      this.perPattern = perPattern;
    }

    /** Whether the path is ignored. */
    public boolean ignored() {
      return ignored;
    }
  }
}
