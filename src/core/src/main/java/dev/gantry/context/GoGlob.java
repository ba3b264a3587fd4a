package dev.gantry.context;

/**
 * Go's {@code filepath.Match} on unix: {@code *} (any run without a slash), {@code ?} (one
 * character but a slash), classes {@code [a-z]} and {@code [^a]}, and {@code \} escapes. The whole
 * pattern is checked for syntax even when the name fails to match early, as Go does.
 */
public final class GoGlob {
  static final String BAD_PATTERN = "syntax error in pattern";

  private GoGlob() {}

  /** Whether {@code name} matches {@code pattern}; throws on a malformed pattern. */
  public static boolean match(String pattern, String name) {
    String pat = pattern;
    String nm = name;
    outer:
    while (!pat.isEmpty()) {
      int[] split = scanChunk(pat);
      boolean star = split[0] > 0;
      String chunk = pat.substring(split[0], split[1]);
      pat = pat.substring(split[1]);
      if (star && chunk.isEmpty()) {
        return nm.indexOf('/') < 0;
      }
      String rest = matchChunk(pattern, chunk, nm);
      if (rest != null && (rest.isEmpty() || !pat.isEmpty())) {
        nm = rest;
        continue;
      }
      if (star) {
        for (int i = 0; i < nm.length() && nm.charAt(i) != '/'; ) {
          i += Character.charCount(nm.codePointAt(i));
          String t = matchChunk(pattern, chunk, nm.substring(i));
          if (t != null) {
            if (pat.isEmpty() && !t.isEmpty()) {
              continue;
            }
            nm = t;
            continue outer;
          }
        }
      }
      validate(pattern, pat);
      return false;
    }
    return nm.isEmpty();
  }

  /** Throws {@link IgnorePatternException} unless {@code pattern} is well formed. */
  static void validate(String pattern) {
    validate(pattern, pattern);
  }

  private static void validate(String whole, String remaining) {
    String pat = remaining;
    while (!pat.isEmpty()) {
      int[] split = scanChunk(pat);
      matchChunk(whole, pat.substring(split[0], split[1]), "");
      pat = pat.substring(split[1]);
    }
  }

  /** Whether a path element contains an unescaped {@code *}, {@code ?} or {@code [}. */
  public static boolean hasWildcards(String element) {
    for (int i = 0; i < element.length(); i++) {
      char c = element.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  /** {@code element} with its {@code \} escapes removed (for a literal path element). */
  public static String unescape(String element) {
    StringBuilder sb = new StringBuilder(element.length());
    for (int i = 0; i < element.length(); i++) {
      char c = element.charAt(i);
      if (c == '\\' && i + 1 < element.length()) {
        c = element.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** {start of chunk (after the stars), end of chunk}. */
  private static int[] scanChunk(String pat) {
    int start = 0;
    while (start < pat.length() && pat.charAt(start) == '*') {
      start++;
    }
    boolean inRange = false;
    int i = start;
    scan:
    for (; i < pat.length(); i++) {
      switch (pat.charAt(i)) {
        case '\\':
          if (i + 1 < pat.length()) {
            i++;
          }
          break;
        case '[':
          inRange = true;
          break;
        case ']':
          inRange = false;
          break;
        case '*':
          if (!inRange) {
            break scan;
          }
          break;
        default:
          break;
      }
    }
    return new int[] {start, i};
  }

  /**
   * Matches one chunk at the start of {@code s}: the rest of {@code s}, or null on no match. Keeps
   * parsing the chunk after a mismatch so that malformed chunks always throw.
   */
  private static String matchChunk(String whole, String chunk, String s) {
    boolean failed = false;
    int c = 0;
    int p = 0;
    while (c < chunk.length()) {
      if (!failed && p >= s.length()) {
        failed = true;
      }
      char ch = chunk.charAt(c);
      if (ch == '[') {
        int r = -1;
        if (!failed) {
          r = s.codePointAt(p);
          p += Character.charCount(r);
        }
        c++;
        boolean negated = c < chunk.length() && chunk.charAt(c) == '^';
        if (negated) {
          c++;
        }
        boolean matched = false;
        int ranges = 0;
        while (true) {
          if (c < chunk.length() && chunk.charAt(c) == ']' && ranges > 0) {
            c++;
            break;
          }
          int[] lo = escapedChar(whole, chunk, c);
          c = lo[1];
          int hi = lo[0];
          if (chunk.charAt(c) == '-') {
            int[] h = escapedChar(whole, chunk, c + 1);
            hi = h[0];
            c = h[1];
          }
          if (lo[0] <= r && r <= hi) {
            matched = true;
          }
          ranges++;
        }
        if (matched == negated) {
          failed = true;
        }
      } else if (ch == '?') {
        if (!failed) {
          int r = s.codePointAt(p);
          if (r == '/') {
            failed = true;
          }
          p += Character.charCount(r);
        }
        c++;
      } else {
        if (ch == '\\') {
          c++;
          if (c >= chunk.length()) {
            throw new IgnorePatternException(whole, BAD_PATTERN);
          }
        }
        int want = chunk.codePointAt(c);
        if (!failed) {
          if (s.codePointAt(p) != want) {
            failed = true;
          }
          p += Character.charCount(s.codePointAt(p));
        }
        c += Character.charCount(want);
      }
    }
    return failed ? null : s.substring(p);
  }

  /** One possibly escaped class character at {@code c}: {code point, next index}. */
  private static int[] escapedChar(String whole, String chunk, int c) {
    if (c >= chunk.length() || chunk.charAt(c) == '-' || chunk.charAt(c) == ']') {
      throw new IgnorePatternException(whole, BAD_PATTERN);
    }
    if (chunk.charAt(c) == '\\') {
      c++;
      if (c >= chunk.length()) {
        throw new IgnorePatternException(whole, BAD_PATTERN);
      }
    }
    int r = chunk.codePointAt(c);
    int next = c + Character.charCount(r);
    if (next >= chunk.length()) {
      throw new IgnorePatternException(whole, BAD_PATTERN);
    }
    return new int[] {r, next};
  }
}
