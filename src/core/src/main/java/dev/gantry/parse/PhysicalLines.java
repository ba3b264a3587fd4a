package dev.gantry.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical lines of a Dockerfile as BuildKit's scanner yields them: split after each LF (the
 * last line may lack one), a leading UTF-8 BOM dropped, text decoded with {@link GoText}.
 */
final class PhysicalLines {
  private final List<String> raw;
  private final List<String> text;
  private final boolean[] tooLong;

  private PhysicalLines(List<String> raw, List<String> text, boolean[] tooLong) {
    this.raw = raw;
    this.text = text;
    this.tooLong = tooLong;
  }

  static PhysicalLines split(byte[] content) {
    int start = 0;
    if (content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
        && (content[2] & 0xFF) == 0xBF) {
      start = 3;
    }
    List<String> raw = new ArrayList<>();
    List<String> text = new ArrayList<>();
    List<Boolean> longLines = new ArrayList<>();
    int i = start;
    while (i < content.length) {
      int nl = i;
      while (nl < content.length && content[nl] != '\n') {
        nl++;
      }
      int end = nl < content.length ? nl + 1 : nl;
      String r = GoText.decode(content, i, end);
      raw.add(r);
      text.add(trimNewline(r));
      longLines.add(nl - i > SyntaxParser.MAX_LINE_BYTES);
      i = end;
    }
    boolean[] tooLong = new boolean[longLines.size()];
    for (int k = 0; k < tooLong.length; k++) {
      tooLong[k] = longLines.get(k);
    }
    return new PhysicalLines(raw, text, tooLong);
  }

  private static String trimNewline(String s) {
    int e = s.length();
    while (e > 0 && (s.charAt(e - 1) == '\n' || s.charAt(e - 1) == '\r')) {
      e--;
    }
    return s.substring(0, e);
  }

  int size() {
    return raw.size();
  }

  /** Line {@code i} (0-based) with its line break. */
  String raw(int i) {
    return raw.get(i);
  }

  /** Line {@code i} (0-based) without trailing CR/LF characters. */
  String text(int i) {
    return text.get(i);
  }

  boolean tooLong(int i) {
    return tooLong[i];
  }
}
