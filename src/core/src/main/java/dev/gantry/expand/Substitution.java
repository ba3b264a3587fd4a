package dev.gantry.expand;

import java.util.Optional;

/**
 * The operators of {@code ${name<op>word}}: defaults ({@code -}, {@code :-}), alternatives
 * ({@code +}, {@code :+}), required checks ({@code ?}, {@code :?}), prefix and suffix removal
 * ({@code #}, {@code ##}, {@code %}, {@code %%}) and pattern replacement ({@code /}, {@code //}).
 * The assignment forms {@code =} and {@code :=} are not supported and fail.
 */
final class Substitution {
  private Substitution() {}

  /**
   * Handles the operator {@code op} (already consumed; a {@code :} is followed by the real
   * operator) up to and including the closing brace.
   */
  static String modifier(WordScanner sc, String name, int op) {
    boolean nullIsUnset = false;
    int ch = op;
    String chs = text(op);
    if (op == ':') {
      nullIsUnset = true;
      ch = sc.nextChar();
      chs += text(ch);
    }
    boolean patternOp = ch == '#' || ch == '%';
    if (nullIsUnset && patternOp) {
      throw new Failure("unsupported modifier (" + chs + ") in substitution");
    }
    String word = nested(sc, '}', patternOp, "syntax error: missing '}'");
    Optional<String> found = sc.lookup(name);
    if (found.isEmpty() && sc.lexer().skipUnsetEnv()) {
      return "${" + name + chs + word + "}";
    }
    boolean set = found.isPresent();
    String value = found.orElse("");
    boolean useDefault = !set || (nullIsUnset && value.isEmpty());
    switch (ch) {
      case '-':
        return useDefault ? word : value;
      case '+':
        return useDefault ? "" : word;
      case '?':
        if (!set) {
          throw new Failure(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
        }
        if (nullIsUnset && value.isEmpty()) {
          throw new Failure(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
        }
        return value;
      case '#':
      case '%':
        boolean greedy = !word.isEmpty() && word.charAt(0) == ch;
        String pattern = greedy ? word.substring(1) : word;
        return ch == '#' ? trimPrefix(pattern, value, greedy) : trimSuffix(pattern, value, greedy);
      default:
        throw new Failure("unsupported modifier (" + chs + ") in substitution");
    }
  }

  /** Handles {@code /pattern/replacement} or {@code //pattern/replacement} (first {@code /} consumed). */
  static String replace(WordScanner sc, String name) {
    boolean all = sc.peekChar() == '/';
    if (all) {
      sc.nextChar();
    }
    String pattern = nested(sc, '/', true, "syntax error: missing '/' in ${}");
    String replacement = nested(sc, '}', true, "syntax error: missing '}'");
    Optional<String> found = sc.lookup(name);
    if (found.isEmpty() && sc.lexer().skipUnsetEnv()) {
      return "${" + name + "/" + pattern + "/" + replacement + "}";
    }
    return compile(pattern).replace(found.orElse(""), replacement, all, sc.limit());
  }

  private static String nested(WordScanner sc, int stop, boolean raw, String atEndMessage) {
    try {
      return sc.scanNested(stop, raw);
    } catch (Failure f) {
      if (sc.atEnd()) {
        throw new Failure(atEndMessage);
      }
      throw f;
    }
  }

  private static String trimPrefix(String pattern, String value, boolean greedy) {
    return compile(pattern).trimPrefix(value, greedy);
  }

  /** Suffix removal runs as prefix removal on the reversed value with the reversed pattern. */
  private static String trimSuffix(String pattern, String value, boolean greedy) {
    return reverse(trimPrefix(ShellPattern.reverse(pattern), reverse(value), greedy));
  }

  private static ShellPattern compile(String pattern) {
    try {
      return ShellPattern.compile(pattern);
    } catch (Failure f) {
      throw new Failure("invalid pattern (" + pattern + ") in substitution: " + f.getMessage());
    }
  }

  private static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    for (int i = 0, j = cps.length - 1; i < j; i++, j--) {
      int t = cps[i];
      cps[i] = cps[j];
      cps[j] = t;
    }
    return new String(cps, 0, cps.length);
  }

  /** The code point as text; end of input shows as U+FFFD, as the reference does. */
  private static String text(int cp) {
    return cp < 0 ? "\uFFFD" : new String(Character.toChars(cp));
  }
}
