package dev.gantry.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * The exec (JSON array) form of an instruction, read exactly as BuildKit reads it with Go's
 * {@code encoding/json}: any invalid JSON means "not exec form" (the text is then shell form), while
 * a valid JSON array that holds anything but strings is an error.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class JsonForm {
  private JsonForm() {}

  /** BuildKit's message for a valid JSON array with a non-string element. */
  public static final String NOT_STRINGS =
      "when using JSON array syntax, arrays must be comprised of strings only";

  /** Go's {@code encoding/json} nesting limit. */
  private static final int MAX_DEPTH = 10000;

  /** What some text is, read as an exec-form array. */
  public enum Kind {
    /** Not a JSON array at all (or invalid JSON): shell form applies. */
    NOT_JSON,
    /** A valid JSON array of strings. */
    STRINGS,
    /** A valid JSON array with a non-string element: an error. */
    NOT_STRINGS
  }

  /**
   * The outcome of reading text as an exec-form array.
   *
   * @param kind what the text is
   * @param values the strings when {@code kind} is {@link Kind#STRINGS}, else empty
   */
  public record Result(Kind kind, List<String> values) {
    public Result {
      values = List.copyOf(values);
    }
  }

  /**
   * Reads {@code rest} (leading white space is skipped, as BuildKit does) as a JSON array of
   * strings. Text decoded with {@link GoText} may hold surrogate escapes; inside strings they become
   * U+FFFD, as Go's decoder makes of invalid UTF-8.
   */
  public static Result parse(String rest) {
    String s = GoText.trimLeft(rest);
    if (!s.startsWith("[")) {
      return new Result(Kind.NOT_JSON, List.of());
    }
    Reader r = new Reader(s);
    try {
      List<String> strings = new ArrayList<>();
      boolean allStrings = r.topArray(strings);
      r.skipWs();
      if (r.pos != s.length()) {
        return new Result(Kind.NOT_JSON, List.of());
      }
      return allStrings ? new Result(Kind.STRINGS, strings) : new Result(Kind.NOT_STRINGS, List.of());
    } catch (IllegalArgumentException e) {
      return new Result(Kind.NOT_JSON, List.of());
    }
  }

  /**
   * Decodes the body of one JSON string token, quotes included ({@code "a\tb"}); the token must be
   * valid JSON.
   */
  public static String unquote(String token) {
    Reader r = new Reader(token);
    return r.string();
  }

  /** A strict JSON reader over chars; throws IllegalArgumentException on invalid input. */
  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    /** Reads the top-level array; returns whether every element is a string. */
    boolean topArray(List<String> strings) {
      expect('[');
      skipWs();
      boolean all = true;
      if (peek() == ']') {
        pos++;
        return true;
      }
      while (true) {
        skipWs();
        if (peek() == '"') {
          strings.add(string());
        } else {
          all = false;
          skipValue();
        }
        skipWs();
        char c = next();
        if (c == ']') {
          return all;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected , or ]");
        }
      }
    }

    /** Skips any JSON value iteratively (nesting counted like Go, top-level array is depth 1). */
    void skipValue() {
      // stack of open containers: '[' or '{'
      StringBuilder stack = new StringBuilder();
      boolean expectValue = true;
      while (true) {
        skipWs();
        if (expectValue) {
          char c = peek();
          if (c == '[' || c == '{') {
            pos++;
            stack.append(c);
            if (stack.length() + 1 > MAX_DEPTH) {
              throw new IllegalArgumentException("exceeded max depth");
            }
            skipWs();
            char close = c == '[' ? ']' : '}';
            if (peek() == close) {
              pos++;
              stack.setLength(stack.length() - 1);
              expectValue = false;
            } else if (c == '{') {
              string();
              skipWs();
              expect(':');
            }
            // else: a value follows
          } else {
            scalar();
            expectValue = false;
          }
        } else {
          if (stack.length() == 0) {
            return;
          }
          char open = stack.charAt(stack.length() - 1);
          char c = next();
          if (c == ',') {
            expectValue = true;
            if (open == '{') {
              skipWs();
              string();
              skipWs();
              expect(':');
            }
          } else if ((open == '[' && c == ']') || (open == '{' && c == '}')) {
            stack.setLength(stack.length() - 1);
          } else {
            throw new IllegalArgumentException("bad container");
          }
        }
      }
    }

    void scalar() {
      char c = peek();
      if (c == '"') {
        string();
      } else if (c == 't') {
        literal("true");
      } else if (c == 'f') {
        literal("false");
      } else if (c == 'n') {
        literal("null");
      } else {
        number();
      }
    }

    void literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw new IllegalArgumentException("bad literal");
      }
      pos += word.length();
    }

    void number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (isDigit(peek()) && peek() != '0') {
        while (isDigit(peek())) {
          pos++;
        }
      } else {
        throw new IllegalArgumentException("bad number at " + start);
      }
      if (peek() == '.') {
        pos++;
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        digits();
      }
    }

    void digits() {
      if (!isDigit(peek())) {
        throw new IllegalArgumentException("digit expected");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw new IllegalArgumentException("control character in string");
        }
        if (c != '\\') {
          out.append(GoText.isEscapedByte(c) ? '\uFFFD' : c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> unicodeEscape(out);
          default -> throw new IllegalArgumentException("bad escape");
        }
      }
    }

    private void unicodeEscape(StringBuilder out) {
      int u = hex4();
      if (Character.isHighSurrogate((char) u) && s.startsWith("\\u", pos)) {
        int save = pos;
        pos += 2;
        int low = hex4();
        if (Character.isLowSurrogate((char) low)) {
          out.append((char) u).append((char) low);
          return;
        }
        pos = save;
        out.append('\uFFFD');
        return;
      }
      out.append(Character.isSurrogate((char) u) ? '\uFFFD' : (char) u);
    }

    private int hex4() {
      if (pos + 4 > s.length()) {
        throw new IllegalArgumentException("short \\u escape");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = Character.digit(s.charAt(pos + i), 16);
        if (d < 0 || s.charAt(pos + i) > 'f') {
          throw new IllegalArgumentException("bad hex");
        }
        v = v * 16 + d;
      }
      pos += 4;
      return v;
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    char next() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(pos++);
    }

    void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected " + c);
      }
    }
  }
}
