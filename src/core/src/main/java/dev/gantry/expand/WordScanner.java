package dev.gantry.expand;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One expansion pass over one word: a cursor over its code points plus the state the pass builds
 * (the words buffer, the names seen). Used once and thrown away; not thread-safe.
 *
 * <p>The words buffer is deliberately shared by nested scans (a default inside {@code ${...}}
 * starts a nested scan that clears it), because the reference implementation behaves so: in
 * word-splitting mode {@code ab${x:-c}d} yields the single word {@code cd}.
 */
final class WordScanner {
  private static final int EOF = -1;
  private static final int MAX_DEPTH = 128;

  private final ShellLexer lexer;
  private final int[] input;
  private final Env env;
  private final StringBuilder wordsBuffer = new StringBuilder();
  /** The most characters this word's expansion may produce (see {@link ShellLexer#MAX_WORD_CHARS}). */
  private final int limit;
  private final Set<String> matched = new TreeSet<>();
  private final Set<String> unmatched = new TreeSet<>();
  private int pos;
  private int depth;
  private boolean rawEscapes;

  WordScanner(ShellLexer lexer, String word, Env env) {
    this.lexer = lexer;
    this.input = word.codePoints().toArray();
    this.env = env;
    this.limit = Math.max(ShellLexer.MAX_WORD_CHARS, word.length());
    this.rawEscapes = lexer.rawEscapes();
    // A byte-order mark at the very start is skipped, as the reference scanner does.
    this.pos = input.length > 0 && input[0] == 0xFEFF ? 1 : 0;
  }

  /** Runs the pass over the whole word. */
  Expansion run() {
    Scanned s = scanUntil(EOF, rawEscapes);
    return new Expansion(s.text, s.words, matched, unmatched);
  }

  private record Scanned(String text, List<String> words) {}

  /** The most characters this word's expansion may produce. */
  int limit() {
    return limit;
  }

  /** Fails when {@code length} characters are more than {@code limit}. */
  static void checkLength(int length, int limit) {
    if (length > limit) {
      throw new Failure("the expansion is longer than the limit of " + limit + " characters"
          + (limit == ShellLexer.MAX_WORD_CHARS ? " (1 MiB)" : " (the word's own length)"), true);
    }
  }

  private int peek() {
    return pos < input.length ? input[pos] : EOF;
  }

  private int next() {
    return pos < input.length ? input[pos++] : EOF;
  }

  /** Scans up to {@code stop} (consumed) or, when {@code stop} is EOF, to the end of the word. */
  private Scanned scanUntil(int stop, boolean raw) {
    if (++depth > MAX_DEPTH) {
      throw new Failure("expansion nested too deeply (more than " + MAX_DEPTH + " levels)");
    }
    boolean savedRaw = rawEscapes;
    rawEscapes = raw;
    try {
      return scanBody(stop);
    } finally {
      rawEscapes = savedRaw;
      depth--;
    }
  }

  private Scanned scanBody(int stop) {
    StringBuilder result = new StringBuilder();
    wordsBuffer.setLength(0);
    WordSplitter words = new WordSplitter(wordsBuffer);
    int escape = lexer.escape();
    while (peek() != EOF) {
      int ch = peek();
      if (stop != EOF && ch == stop) {
        next();
        return new Scanned(result.toString(), words.finish());
      }
      if (ch == '$') {
        String value = dollar();
        result.append(value);
        checkLength(result.length(), limit);
        words.addSplitting(value);
      } else if (ch == '<') {
        String value = possibleHeredoc();
        result.append(value);
        words.addRaw(value);
      } else if ((ch == '\'' || ch == '"') && !lexer.skipProcessQuotes()) {
        String value = ch == '\'' ? singleQuoted() : doubleQuoted();
        result.append(value);
        words.addRaw(value);
      } else {
        ch = next();
        if (ch == escape) {
          if (rawEscapes) {
            words.addRaw(ch);
            result.appendCodePoint(ch);
          }
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRaw(ch);
        } else {
          words.add(ch);
        }
        result.appendCodePoint(ch);
      }
    }
    if (stop != EOF) {
      throw new Failure("unexpected end of statement while looking for matching "
          + new String(Character.toChars(stop)));
    }
    return new Scanned(result.toString(), words.finish());
  }

  private String singleQuoted() {
    StringBuilder out = new StringBuilder();
    int ch = next();
    if (lexer.rawQuotes()) {
      out.appendCodePoint(ch);
    }
    while (true) {
      ch = next();
      if (ch == EOF) {
        throw new Failure("unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (lexer.rawQuotes()) {
          out.appendCodePoint(ch);
        }
        return out.toString();
      }
      out.appendCodePoint(ch);
    }
  }

  private String doubleQuoted() {
    StringBuilder out = new StringBuilder();
    int ch = next();
    if (lexer.rawQuotes()) {
      out.appendCodePoint(ch);
    }
    int escape = lexer.escape();
    while (true) {
      int p = peek();
      if (p == EOF) {
        throw new Failure("unexpected end of statement while looking for matching double-quote");
      }
      if (p == '"') {
        next();
        if (lexer.rawQuotes()) {
          out.append('"');
        }
        return out.toString();
      }
      if (p == '$') {
        out.append(dollar());
        checkLength(out.length(), limit);
        continue;
      }
      ch = next();
      if (ch == escape) {
        if (rawEscapes) {
          out.appendCodePoint(ch);
        }
        int after = peek();
        if (after == EOF) {
          continue;
        }
        if (after == '"' || after == '$' || after == escape) {
          ch = next();
        }
      }
      out.appendCodePoint(ch);
    }
  }

  private String possibleHeredoc() {
    next();
    if (peek() != '<') {
      return "<";
    }
    next();
    StringBuilder out = new StringBuilder("<<");
    while (peek() == '\t' || peek() == '\r' || peek() == ' ') {
      out.appendCodePoint(next());
    }
    return out.toString();
  }

  private String dollar() {
    next();
    if (peek() != '{') {
      String name = name();
      if (name.isEmpty()) {
        return "$";
      }
      Optional<String> value = lookup(name);
      if (value.isEmpty() && lexer.skipUnsetEnv()) {
        return "$" + name;
      }
      return value.orElse("");
    }
    next();
    int first = peek();
    if (first == EOF) {
      throw new Failure("syntax error: missing '}'");
    }
    if (first == '{' || first == '}' || first == ':') {
      throw new Failure("syntax error: bad substitution");
    }
    String name = name();
    int op = next();
    if (op == '}') {
      Optional<String> value = lookup(name);
      if (value.isEmpty() && lexer.skipUnsetEnv()) {
        return "${" + name + "}";
      }
      return value.orElse("");
    }
    if (op == '/') {
      return Substitution.replace(this, name);
    }
    if (op == ':' || op == '+' || op == '-' || op == '?' || op == '#' || op == '%') {
      return Substitution.modifier(this, name, op);
    }
    if (op == EOF) {
      throw new Failure("syntax error: missing '}'");
    }
    throw new Failure("unsupported modifier (" + new String(Character.toChars(op))
        + ") in substitution");
  }

  /** Reads a name: a run of digits, one special-parameter character, or letters, digits and _. */
  private String name() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (name.length() == 0 && isSpecialParameter(ch)) {
        return new String(Character.toChars(next()));
      }
      if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  private static boolean isSpecialParameter(int ch) {
    return "@*#?-$!0".indexOf(ch) >= 0;
  }

  // ---- operations used by Substitution ----

  /** Consumes and returns the next code point, or EOF (-1). */
  int nextChar() {
    return next();
  }

  /** The next code point without consuming it, or EOF (-1). */
  int peekChar() {
    return peek();
  }

  boolean atEnd() {
    return peek() == EOF;
  }

  /** Scans a nested word up to {@code stop}, returning its single-word text. */
  String scanNested(int stop, boolean raw) {
    return scanUntil(stop, raw).text;
  }

  ShellLexer lexer() {
    return lexer;
  }

  /** Looks {@code name} up and records it as matched or unmatched. */
  Optional<String> lookup(String name) {
    Optional<String> value = env.lookup(name);
    if (value.isPresent()) {
      matched.add(name);
    } else {
      unmatched.add(name);
    }
    return value;
  }

  /** Splits text into words on unquoted whitespace; see the class comment on the shared buffer. */
  private static final class WordSplitter {
    private final StringBuilder buf;
    private final List<String> words = new ArrayList<>();
    private boolean inWord;

    WordSplitter(StringBuilder buf) {
      this.buf = buf;
    }

    void add(int ch) {
      boolean space = Whitespace.isSpace(ch);
      if (space && inWord) {
        if (buf.length() != 0) {
          words.add(buf.toString());
          buf.setLength(0);
          inWord = false;
        }
      } else if (!space) {
        addRaw(ch);
      }
    }

    void addRaw(int ch) {
      buf.appendCodePoint(ch);
      inWord = true;
    }

    void addSplitting(String s) {
      s.codePoints().forEach(this::add);
    }

    void addRaw(String s) {
      buf.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (buf.length() > 0) {
        words.add(buf.toString());
        buf.setLength(0);
        inWord = false;
      }
      return words;
    }
  }
}
