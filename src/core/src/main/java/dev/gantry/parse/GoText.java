package dev.gantry.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text helpers that reproduce Go's string semantics, which BuildKit's parser relies on.
 *
 * <p>Dockerfiles are bytes and may hold invalid UTF-8. Gantry keeps such text losslessly in Java
 * strings: valid UTF-8 decodes as usual and every byte that Go would reject is kept as the lone
 * surrogate {@code U+DC00 + byte} (a "surrogate escape"; such chars never come from valid UTF-8).
 * {@link #encode} restores the original bytes. This class is stateless and thread-safe.
 */
public final class GoText {
  private GoText() {}

  /** The first char of the surrogate escapes; invalid byte {@code b} is kept as {@code ESCAPE_BASE + b}. */
  public static final char ESCAPE_BASE = '\uDC00';

  /** Decodes all of {@code bytes} (see the class comment for invalid bytes). */
  public static String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes {@code bytes[from, to)} the way Go ranges over a string, one char per invalid byte. */
  public static String decode(byte[] bytes, int from, int to) {
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        out.append((char) b);
        i++;
        continue;
      }
      int n = sequenceLength(bytes, i, to);
      if (n == 0) {
        out.append((char) (ESCAPE_BASE + b));
        i++;
      } else {
        out.append(new String(bytes, i, n, StandardCharsets.UTF_8));
        i += n;
      }
    }
    return out.toString();
  }

  /** Length of the valid UTF-8 sequence at {@code i} (2..4), or 0 when Go would see an invalid byte. */
  private static int sequenceLength(byte[] s, int i, int to) {
    int b0 = s[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      if (b0 == 0xE0) {
        lo = 0xA0;
      } else if (b0 == 0xED) {
        hi = 0x9F;
      }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      if (b0 == 0xF0) {
        lo = 0x90;
      } else if (b0 == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return 0;
    }
    if (i + n > to) {
      return 0;
    }
    int b1 = s[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int b = s[i + k] & 0xFF;
      if (b < 0x80 || b > 0xBF) {
        return 0;
      }
    }
    return n;
  }

  /** Encodes text back to the bytes it was decoded from (surrogate escapes become their byte). */
  public static byte[] encode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.write(c);
        i++;
      } else if (isEscapedByte(c)) {
        out.write(c - ESCAPE_BASE);
        i++;
      } else {
        int cp = s.codePointAt(i);
        int n = Character.charCount(cp);
        if (Character.isSurrogate(c) && n == 1) {
          cp = 0xFFFD;
        }
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += n;
      }
    }
    return out.toByteArray();
  }

  /** True for a char that stands for one invalid byte (0x80..0xFF). */
  public static boolean isEscapedByte(char c) {
    return c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF;
  }

  /** The text with every surrogate escape replaced by U+FFFD, as Go does when it re-encodes runes. */
  public static String replaceInvalid(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isEscapedByte(c)) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** Go's {@code unicode.IsSpace}. */
  public static boolean isSpace(int cp) {
    if (cp < 0x100) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0;
    }
    return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /** Go's {@code strings.TrimSpace}. */
  public static String trimSpace(String s) {
    return trimRight(trimLeft(s));
  }

  /** Go's {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
  public static String trimLeft(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!isSpace(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return s.substring(i);
  }

  /** Go's {@code strings.TrimRightFunc(s, unicode.IsSpace)}. */
  public static String trimRight(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  /** Go's {@code strings.ToLower}: per code point; invalid bytes become U+FFFD unless all ASCII. */
  public static String toLower(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      char c = s.charAt(i);
      if (isEscapedByte(c)) {
        out.append('\uFFFD');
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** True for Go regexp {@code [\t\v\f\r ]}. */
  public static boolean isAsciiBlank(int c) {
    return c == ' ' || c == '\t' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** The ISO-8859-1 view of the UTF-8 bytes of {@code s}: one char per byte (what the lexer reads). */
  public static String byteView(String s) {
    return new String(encode(s), StandardCharsets.ISO_8859_1);
  }

  /** Inverse of {@link #byteView}: decodes a one-char-per-byte string as UTF-8 text. */
  public static String fromByteView(String bytes) {
    return decode(bytes.getBytes(StandardCharsets.ISO_8859_1));
  }
}
