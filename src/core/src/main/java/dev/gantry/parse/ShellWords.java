package dev.gantry.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell word splitter BuildKit's parser uses to find heredoc openers: its shell lexer with
 * escape {@code \}, an empty environment and "skip unset variables", so every {@code $name} and
 * {@code ${...}} is kept as written (its syntax is still checked).
 *
 * <p>It is a small, separate port on purpose: the full variable expansion lives in
 * {@code dev.gantry.expand}, which this package may not use. Not thread-safe; use one per call.
 */
final class ShellWords {
  private static final int EOF = -1;

  private final int[] cps;
  private final boolean rawQuotes;
  private boolean rawEscapes;
  private int pos;

  private ShellWords(String text, boolean rawQuotes, boolean rawEscapes) {
    // Go's text/scanner reads invalid UTF-8 as U+FFFD and skips a BOM at the very start.
    String s = GoText.replaceInvalid(text);
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    this.cps = s.codePoints().toArray();
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
  }

  /** Splits {@code text} into words; throws IllegalArgumentException with BuildKit's reason. */
  static List<String> split(String text, boolean rawQuotes, boolean rawEscapes) {
    ShellWords sw = new ShellWords(text, rawQuotes, rawEscapes);
    try {
      return sw.processStopOn(EOF, rawEscapes).words;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("failed to process \"" + text + "\": " + e.getMessage(), e);
    }
  }

  private record Out(String result, List<String> words) {}

  /** Word accumulation as in BuildKit's wordsStruct. */
  private static final class Words {
    final StringBuilder buf = new StringBuilder();
    final List<String> words = new ArrayList<>();
    boolean inWord;

    void addChar(int ch) {
      if (GoText.isSpace(ch) && inWord) {
        if (buf.length() != 0) {
          words.add(buf.toString());
          buf.setLength(0);
          inWord = false;
        }
      } else if (!GoText.isSpace(ch)) {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      buf.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      buf.append(s);
      inWord = true;
    }

    List<String> get() {
      if (buf.length() > 0) {
        words.add(buf.toString());
        buf.setLength(0);
        inWord = false;
      }
      return words;
    }
  }

  private int peek() {
    return pos < cps.length ? cps[pos] : EOF;
  }

  private int next() {
    return pos < cps.length ? cps[pos++] : EOF;
  }

  private Out processStopOn(int stop, boolean raw) {
    boolean saved = rawEscapes;
    rawEscapes = raw;
    try {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != EOF) {
        int ch = peek();
        if (stop != EOF && ch == stop) {
          next();
          return new Out(result.toString(), words.get());
        }
        if (ch == '$' || ch == '<' || ch == '\'' || ch == '"') {
          String tmp = switch (ch) {
            case '$' -> processDollar();
            case '<' -> processPossibleHeredoc();
            case '\'' -> processSingleQuote();
            default -> processDoubleQuote();
          };
          result.append(tmp);
          if (ch == '$') {
            words.addString(tmp);
          } else {
            words.addRawString(tmp);
          }
          continue;
        }
        ch = next();
        if (ch == '\\') {
          if (rawEscapes) {
            words.addRawChar(ch);
            result.appendCodePoint(ch);
          }
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stop != EOF) {
        throw new IllegalArgumentException(
            "unexpected end of statement while looking for matching " + new String(Character.toChars(stop)));
      }
      return new Out(result.toString(), words.get());
    } finally {
      rawEscapes = saved;
    }
  }

  private String processSingleQuote() {
    StringBuilder out = new StringBuilder();
    int ch = next();
    if (rawQuotes) {
      out.appendCodePoint(ch);
    }
    while (true) {
      ch = next();
      if (ch == EOF) {
        throw new IllegalArgumentException("unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (rawQuotes) {
          out.appendCodePoint(ch);
        }
        return out.toString();
      }
      out.appendCodePoint(ch);
    }
  }

  private String processDoubleQuote() {
    StringBuilder out = new StringBuilder();
    int ch = next();
    if (rawQuotes) {
      out.appendCodePoint(ch);
    }
    while (true) {
      int p = peek();
      if (p == EOF) {
        throw new IllegalArgumentException("unexpected end of statement while looking for matching double-quote");
      }
      if (p == '"') {
        next();
        if (rawQuotes) {
          out.append('"');
        }
        return out.toString();
      }
      if (p == '$') {
        out.append(processDollar());
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (rawEscapes) {
          out.appendCodePoint(ch);
        }
        int q = peek();
        if (q == EOF) {
          continue;
        }
        if (q == '"' || q == '$' || q == '\\') {
          ch = next();
        }
      }
      out.appendCodePoint(ch);
    }
  }

  private String processDollar() {
    next();
    if (peek() != '{') {
      String name = processName();
      return "$" + name;
    }
    next();
    int p = peek();
    if (p == EOF) {
      throw new IllegalArgumentException("syntax error: missing '}'");
    }
    if (p == '{' || p == '}' || p == ':') {
      throw new IllegalArgumentException("syntax error: bad substitution");
    }
    String name = processName();
    int ch = next();
    String chs = ch == EOF ? "\uFFFD" : new String(Character.toChars(ch));
    boolean nullIsUnset = false;
    switch (ch) {
      case '}':
        return "${" + name + "}";
      case ':':
        nullIsUnset = true;
        ch = next();
        chs += ch == EOF ? "\uFFFD" : new String(Character.toChars(ch));
        return modifier(name, ch, chs, nullIsUnset);
      case '+', '-', '?', '#', '%':
        return modifier(name, ch, chs, false);
      case '/':
        if (peek() == '/') {
          next();
        }
        String pattern = stopOnOrMissing('/', true, "syntax error: missing '/' in ${}");
        String replacement = stopOnOrMissing('}', true, "syntax error: missing '}'");
        return "${" + name + "/" + pattern + "/" + replacement + "}";
      default:
        throw new IllegalArgumentException("unsupported modifier (" + chs + ") in substitution");
    }
  }

  private String modifier(String name, int ch, String chs, boolean nullIsUnset) {
    boolean raw = ch == '#' || ch == '%';
    if (nullIsUnset && raw) {
      throw new IllegalArgumentException("unsupported modifier (" + chs + ") in substitution");
    }
    String word = stopOnOrMissing('}', raw, "syntax error: missing '}'");
    return "${" + name + chs + word + "}";
  }

  private String stopOnOrMissing(int stop, boolean raw, String missing) {
    try {
      return processStopOn(stop, raw).result;
    } catch (IllegalArgumentException e) {
      if (peek() == EOF) {
        throw new IllegalArgumentException(missing, e);
      }
      throw e;
    }
  }

  private String processName() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (name.length() == 0 && "@*#?-$!0".indexOf(ch) >= 0) {
        return new String(Character.toChars(next()));
      }
      if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  private String processPossibleHeredoc() {
    next();
    if (peek() != '<') {
      return "<";
    }
    next();
    StringBuilder space = new StringBuilder("<<");
    while (peek() == '\t' || peek() == '\r' || peek() == ' ') {
      space.appendCodePoint(next());
    }
    return space.toString();
  }
}
