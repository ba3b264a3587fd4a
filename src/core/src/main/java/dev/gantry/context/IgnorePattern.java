package dev.gantry.context;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code .dockerignore} pattern, cleaned and classified the way BuildKit's pattern matcher does.
 *
 * <p>The text is trimmed, {@code Clean}ed (Go {@code filepath.Clean}) and, when it starts with
 * {@code !}, marked as an exclusion (an exception that re-includes). The syntax is Go's
 * {@code filepath.Match} plus {@code **}, which spans any number of path segments, including none.
 * Matching follows the reference implementation exactly, including its shortcuts: a pattern without
 * wildcards is compared for equality ({@link Kind#EXACT}), one ending in {@code **} by prefix
 * ({@link Kind#PREFIX}), one starting with {@code **} and otherwise literal by suffix ({@link
 * Kind#SUFFIX}; so {@code **file} also matches {@code myfile}); every other pattern becomes a
 * regular expression ({@link Kind#REGEXP}). A pattern that passes the syntax check but cannot be
 * compiled to that expression (a reversed range such as {@code [Local-Only]}) is accepted here and
 * fails, every time, in {@link #matches}.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class IgnorePattern {
  /** How a cleaned pattern is compared with a path. */
  public enum Kind {
    /** Equal strings. */
    EXACT,
    /** The path starts with the pattern minus its trailing {@code **}. */
    PREFIX,
    /** The path ends with the pattern minus its leading {@code **}. */
    SUFFIX,
    /** A regular expression built from the pattern. */
    REGEXP
  }

  private static final String REGEXP_SPECIALS = ".+()|{}$";

  private final String pattern;
  private final boolean exclusion;
  private final Kind kind;
  private final String regexp;
  private final Pattern compiled;
  private final String compileError;

  private IgnorePattern(String pattern, boolean exclusion) {
    this.pattern = pattern;
    this.exclusion = exclusion;
    StringBuilder re = new StringBuilder("^");
    this.kind = classify(pattern, re);
    if (kind == Kind.REGEXP) {
      re.append('$');
      this.regexp = re.toString();
      Pattern p = null;
      String error = null;
      try {
        p = Re2Translator.compile(regexp);
      } catch (IllegalArgumentException e) {
        error = e.getMessage();
      }
      this.compiled = p;
      this.compileError = error;
    } else {
      this.regexp = null;
      this.compiled = null;
      this.compileError = null;
    }
  }

  /**
   * Parses one pattern as the matcher reads it: trims white space, cleans the path, then takes a
   * leading {@code !} as an exclusion.
   *
   * @throws IgnorePatternException when the pattern is empty, a lone {@code !}, or not valid
   *     {@code filepath.Match} syntax
   */
  public static IgnorePattern parse(String text) {
    String p = GoPaths.trimSpace(Objects.requireNonNull(text, "text"));
    if (p.isEmpty()) {
      throw new IgnorePatternException(text, "empty pattern");
    }
    p = GoPaths.clean(p);
    boolean exclusion = p.charAt(0) == '!';
    if (exclusion) {
      if (p.length() == 1) {
        throw new IgnorePatternException(p, "illegal exclusion pattern");
      }
      p = p.substring(1);
    }
    GoGlob.match(p, ".");
    return new IgnorePattern(p, exclusion);
  }

  /** The cleaned pattern, without the {@code !} of an exclusion. */
  public String pattern() {
    return pattern;
  }

  /** Whether this is an exception ({@code !pattern}) that re-includes what it matches. */
  public boolean exclusion() {
    return exclusion;
  }

  /** How this pattern is compared with paths. */
  public Kind kind() {
    return kind;
  }

  /** The regular expression (in Go RE2 syntax, as the reference builds it) for {@link Kind#REGEXP}. */
  public Optional<String> regexp() {
    return Optional.ofNullable(regexp);
  }

  /**
   * Whether this pattern matches the slash-separated {@code path} itself (parents are the matcher's
   * business).
   *
   * @throws IgnorePatternException when the pattern cannot be compiled (on every call)
   */
  public boolean matches(String path) {
    switch (kind) {
      case EXACT:
        return path.equals(pattern);
      case PREFIX:
        return path.startsWith(pattern.substring(0, pattern.length() - 2));
      case SUFFIX:
        String suffix = pattern.substring(2);
        return path.endsWith(suffix)
            || (suffix.charAt(0) == '/' && path.equals(suffix.substring(1)));
      default:
        if (compiled == null) {
          throw new IgnorePatternException(pattern, GoGlob.BAD_PATTERN + " (" + compileError + ")");
        }
        return compiled.matcher(path).find();
    }
  }

  /** The pattern without any trailing {@code /**} or {@code /*}: the part that is a plain prefix. */
  String withoutTrailingGlob() {
    String p = pattern;
    if (p.endsWith("/**")) {
      p = p.substring(0, p.length() - 3);
    }
    if (p.endsWith("/*")) {
      p = p.substring(0, p.length() - 2);
    }
    return p;
  }

  private static Kind classify(String pattern, StringBuilder re) {
    Kind kind = Kind.EXACT;
    int pos = 0;
    for (int i = 0; pos < pattern.length(); i++) {
      int ch = pattern.codePointAt(pos);
      pos += Character.charCount(ch);
      if (ch == '*') {
        if (pos < pattern.length() && pattern.charAt(pos) == '*') {
          pos++;
          if (pos < pattern.length() && pattern.charAt(pos) == '/') {
            pos++;
          }
          if (pos == pattern.length()) {
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              re.append(".*");
              kind = Kind.REGEXP;
            }
          } else {
            re.append("(.*/)?");
            kind = Kind.REGEXP;
          }
          if (i == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          kind = Kind.REGEXP;
        }
      } else if (ch == '?') {
        re.append("[^/]");
        kind = Kind.REGEXP;
      } else if (REGEXP_SPECIALS.indexOf(ch) >= 0) {
        re.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        if (pos < pattern.length()) {
          int next = pattern.codePointAt(pos);
          pos += Character.charCount(next);
          re.append('\\').appendCodePoint(next);
          kind = Kind.REGEXP;
        } else {
          re.append('\\');
        }
      } else if (ch == '[' || ch == ']') {
        re.appendCodePoint(ch);
        kind = Kind.REGEXP;
      } else {
        re.appendCodePoint(ch);
      }
    }
    return kind;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IgnorePattern other && other.pattern.equals(pattern)
        && other.exclusion == exclusion;
  }

  @Override
  public int hashCode() {
    return pattern.hashCode() * 31 + Boolean.hashCode(exclusion);
  }

  /** The pattern as it would be written in an ignore file ({@code !} first for an exclusion). */
  @Override
  public String toString() {
    return exclusion ? "!" + pattern : pattern;
  }
}
