package dev.gantry.expand;

import java.util.Arrays;

/**
 * A shell glob pattern as the {@code #}, {@code %} and {@code /} operators use it: {@code *} matches
 * any run of characters, {@code ?} one character, {@code \*}, {@code \?} and {@code \\} match
 * themselves, and a backslash before {@code }} or {@code /} is dropped. Bracket expressions are not
 * supported. Neither wildcard matches a newline.
 *
 * <p>Matching follows leftmost-first regular-expression semantics exactly: among the matches that
 * start leftmost, the one a backtracking matcher finds first wins, where greedy wildcards try the
 * longest run first and non-greedy ones the shortest. It runs in time proportional to pattern
 * length times value length. Immutable.
 */
final class ShellPattern {
  private static final int STAR = -1;
  private static final int ANY = -2;
  private static final String REGEX_SPECIAL = "[]{}.+()|^$*?\\";

  /** Literal code points, or {@link #STAR} / {@link #ANY}. */
  private final int[] tokens;

  private ShellPattern(int[] tokens) {
    this.tokens = tokens;
  }

  /** Compiles {@code pattern}; throws {@link Failure} on a dangling or unknown backslash escape. */
  static ShellPattern compile(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      int c = in[i];
      if (c == '*') {
        out[n++] = STAR;
      } else if (c == '?') {
        out[n++] = ANY;
      } else if (c == '\\') {
        int next = i + 1 < in.length ? in[i + 1] : -1;
        if (next == '}' || next == '/') {
          continue;
        }
        if (next != '*' && next != '?' && next != '\\') {
          throw new Failure(next < 0 ? "invalid escape '\\' at end of pattern"
              : "invalid escape '\\" + new String(Character.toChars(next)) + "'");
        }
        out[n++] = next;
        i++;
      } else {
        out[n++] = c;
      }
    }
    return new ShellPattern(Arrays.copyOf(out, n));
  }

  /**
   * Reverses a pattern while keeping each backslash attached before the character it escapes
   * ({@code a\*c} becomes {@code c\*a}), so that a suffix match can run as a prefix match on the
   * reversed value. A trailing lone backslash stays a plain character.
   */
  static String reverse(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int outIdx = last - i;
      if (in[i] == '\\' && i != last) {
        out[outIdx - 1] = '\\';
        out[outIdx] = in[i + 1];
        i += 2;
      } else {
        out[outIdx] = in[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  /**
   * The equivalent regular expression in RE2/Go syntax (informational; matching does not use it):
   * {@code .*} or {@code .*?} for {@code *}, {@code .} for {@code ?}, metacharacters escaped.
   */
  String toRegex(boolean greedy, boolean anchored) {
    StringBuilder out = new StringBuilder(anchored ? "^" : "");
    for (int t : tokens) {
      if (t == STAR) {
        out.append(greedy ? ".*" : ".*?");
      } else if (t == ANY) {
        out.append('.');
      } else {
        if (REGEX_SPECIAL.indexOf(t) >= 0) {
          out.append('\\');
        }
        out.appendCodePoint(t);
      }
    }
    return out.toString();
  }

  /**
   * For every start position {@code s} in {@code 0..value.length}, the end of the match that
   * starts exactly at {@code s}, or -1 when none does.
   */
  int[] matchEnds(int[] value, boolean greedy) {
    int len = value.length;
    int[] next = new int[len + 1];
    for (int pos = 0; pos <= len; pos++) {
      next[pos] = pos;
    }
    int[] cur = new int[len + 1];
    for (int i = tokens.length - 1; i >= 0; i--) {
      int t = tokens[i];
      if (t == STAR) {
        starRow(value, greedy, next, cur);
      } else {
        for (int pos = 0; pos <= len; pos++) {
          boolean ok = pos < len && (t == ANY ? value[pos] != '\n' : value[pos] == t);
          cur[pos] = ok ? next[pos + 1] : -1;
        }
      }
      int[] swap = next;
      next = cur;
      cur = swap;
    }
    return next;
  }

  /**
   * One wildcard: from {@code pos} it may consume up to the next newline; a greedy one takes the
   * longest run after which the rest matches, a non-greedy one the shortest.
   */
  private static void starRow(int[] value, boolean greedy, int[] next, int[] cur) {
    int best = -1;
    for (int pos = value.length; pos >= 0; pos--) {
      boolean blockStart = pos == value.length || value[pos] == '\n';
      boolean here = next[pos] >= 0;
      if (blockStart) {
        best = here ? pos : -1;
      } else if (greedy) {
        best = best >= 0 ? best : (here ? pos : -1);
      } else {
        best = here ? pos : best;
      }
      cur[pos] = best >= 0 ? next[best] : -1;
    }
  }

  /** The value with the leftmost-first match anchored at its start removed. */
  String trimPrefix(String value, boolean greedy) {
    int[] cps = value.codePoints().toArray();
    int end = matchEnds(cps, greedy)[0];
    return end < 0 ? value : new String(cps, end, cps.length - end);
  }

  /**
   * Replaces the first greedy match (literal replacement), or every non-overlapping greedy match
   * with the replacement expanded as a regular-expression template, where only group 0 exists.
   * An empty match right after a previous match is not replaced. Fails past {@code limit} characters.
   */
  String replace(String value, String replacement, boolean all, int limit) {
    int[] cps = value.codePoints().toArray();
    int[] ends = matchEnds(cps, true);
    StringBuilder out = new StringBuilder();
    int lastEnd = 0;
    int search = 0;
    while (search <= cps.length) {
      int start = search;
      while (start <= cps.length && ends[start] < 0) {
        start++;
      }
      if (start > cps.length) {
        break;
      }
      int end = ends[start];
      out.append(new String(cps, lastEnd, start - lastEnd));
      if (end > lastEnd || start == 0) {
        out.append(all ? ReplacementTemplate.expand(replacement, new String(cps, start, end - start))
            : replacement);
        WordScanner.checkLength(out.length(), limit);
      }
      lastEnd = end;
      if (!all) {
        break;
      }
      search = search + 1 > end ? search + 1 : end;
    }
    out.append(new String(cps, lastEnd, cps.length - lastEnd));
    return out.toString();
  }
}
