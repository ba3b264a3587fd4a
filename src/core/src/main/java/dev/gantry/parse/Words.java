package dev.gantry.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * BuildKit's internal word splitters for instruction arguments.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class Words {
  private Words() {}

  /**
   * Splits ARG/ENV/LABEL arguments into words on Unicode white space, keeping quotes and escape
   * characters inside the words ({@code foo\ bar} and {@code "abc xyz"} are one word each). Invalid
   * UTF-8 becomes U+FFFD, as in Go.
   */
  public static List<String> split(String rest, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int[] cps = GoText.replaceInvalid(rest).codePoints().toArray();
    boolean inWord = false;
    boolean inQuote = false;
    boolean blankOk = false;
    int quote = 0;
    for (int i = 0; i < cps.length; i++) {
      int ch = cps[i];
      if (!inWord && !inQuote) {
        if (GoText.isSpace(ch)) {
          continue;
        }
        inWord = true;
      }
      if (inWord) {
        if (GoText.isSpace(ch)) {
          inWord = false;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inWord = false;
          inQuote = true;
        }
        if (ch == escape) {
          if (i + 1 == cps.length) {
            continue;
          }
          word.appendCodePoint(ch);
          ch = cps[++i];
        }
        word.appendCodePoint(ch);
        continue;
      }
      // in a quote
      if (ch == quote) {
        inQuote = false;
        inWord = true;
      }
      if (ch == escape && quote != '\'') {
        if (i + 1 == cps.length) {
          inQuote = false;
          inWord = true;
          continue;
        }
        word.appendCodePoint(ch);
        ch = cps[++i];
      }
      word.appendCodePoint(ch);
    }
    if ((inWord || inQuote) && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }

  /** Splits on runs of {@code [\t\v\f\r ]} (Go's {@code reWhitespace}); empty text gives no words. */
  public static List<String> splitBlank(String rest) {
    return splitBlank(rest, -1);
  }

  /** As {@link #splitBlank(String)} but into at most {@code limit} parts ({@code -1}: no limit). */
  public static List<String> splitBlank(String s, int limit) {
    List<String> parts = new ArrayList<>();
    if (s.isEmpty()) {
      return parts;
    }
    int beg = 0;
    int i = 0;
    while (i < s.length()) {
      if (limit > 0 && parts.size() == limit - 1) {
        break;
      }
      if (GoText.isAsciiBlank(s.charAt(i))) {
        int end = i;
        while (i < s.length() && GoText.isAsciiBlank(s.charAt(i))) {
          i++;
        }
        parts.add(s.substring(beg, end));
        beg = i;
      } else {
        i++;
      }
    }
    parts.add(s.substring(beg));
    return parts;
  }
}
