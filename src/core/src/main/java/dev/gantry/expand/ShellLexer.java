package dev.gantry.expand;

import java.util.List;
import java.util.Objects;

/**
 * The shell-word lexer of Dockerfile instructions: expands {@code $name}, {@code ${name}} and
 * {@code ${name<op>word}}, removes quotes and escapes, and optionally splits the result into words,
 * exactly as BuildKit does.
 *
 * <p>Rules: {@code '...'} is literal; inside {@code "..."} only the escape character before
 * {@code "}, {@code $} or itself is special; outside quotes the escape character makes the next
 * character literal (a trailing one is dropped). Positional ({@code $1}, {@code ${10}}) and special
 * ({@code $@ $* $# $? $- $$ $! $0}) parameters are looked up like other names and so are normally
 * empty. Operators are listed on {@link #expand}.
 *
 * <p>This class is immutable and thread-safe. Each call works on its own state.
 */
public final class ShellLexer {
  /**
   * The most characters the expansion of one word may produce: 1 MiB, or the word's own length when
   * that is more (a long heredoc); past it {@link #expand} fails instead of exhausting memory.
   */
  public static final int MAX_WORD_CHARS = 1 << 20;

  private static final ShellLexer DEFAULT = new ShellLexer('\\', false, false, false, false);

  private final char escape;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipProcessQuotes;
  private final boolean skipUnsetEnv;

  private ShellLexer(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipProcessQuotes,
      boolean skipUnsetEnv) {
    this.escape = escape;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipProcessQuotes = skipProcessQuotes;
    this.skipUnsetEnv = skipUnsetEnv;
  }

  /** The lexer with the default escape character {@code \} and no options. */
  public static ShellLexer standard() {
    return DEFAULT;
  }

  /** A lexer with the escape character {@code \} or {@code `} (the {@code # escape=} directive). */
  public static ShellLexer withEscape(char escape) {
    if (escape != '\\' && escape != '`') {
      throw new IllegalArgumentException("escape character must be \\ or `, not " + escape);
    }
    return escape == '\\' ? DEFAULT : new ShellLexer(escape, false, false, false, false);
  }

  /** This lexer, keeping quote characters in the output when {@code on}. */
  public ShellLexer rawQuotes(boolean on) {
    return new ShellLexer(escape, on, rawEscapes, skipProcessQuotes, skipUnsetEnv);
  }

  /** This lexer, keeping escape characters in the output when {@code on}. */
  public ShellLexer rawEscapes(boolean on) {
    return new ShellLexer(escape, rawQuotes, on, skipProcessQuotes, skipUnsetEnv);
  }

  /** This lexer, treating quote characters as ordinary characters when {@code on}. */
  public ShellLexer skipProcessQuotes(boolean on) {
    return new ShellLexer(escape, rawQuotes, rawEscapes, on, skipUnsetEnv);
  }

  /** This lexer, leaving references to unset variables as written when {@code on}. */
  public ShellLexer skipUnsetEnv(boolean on) {
    return new ShellLexer(escape, rawQuotes, rawEscapes, skipProcessQuotes, on);
  }

  /** The escape character. */
  public char escape() {
    return escape;
  }

  /** Whether quote characters are kept. */
  public boolean rawQuotes() {
    return rawQuotes;
  }

  /** Whether escape characters are kept. */
  public boolean rawEscapes() {
    return rawEscapes;
  }

  /** Whether quotes are left unprocessed. */
  public boolean skipProcessQuotes() {
    return skipProcessQuotes;
  }

  /** Whether references to unset variables are left as written. */
  public boolean skipUnsetEnv() {
    return skipUnsetEnv;
  }

  /**
   * Expands {@code word} once, giving both the single-word value and the split words, plus the names
   * that were found and not found in {@code env}.
   *
   * <p>Operators: {@code ${x:-w} ${x-w}} (default when unset, or with {@code :} also when empty),
   * {@code ${x:+w} ${x+w}} (alternative), {@code ${x:?msg} ${x?msg}} (fail when unset/empty),
   * {@code ${x#p} ${x##p} ${x%p} ${x%%p}} (remove shortest/longest prefix/suffix matching the glob
   * {@code p}), {@code ${x/p/r} ${x//p/r}} (replace first/all). The words may contain further
   * expansions and quotes.
   *
   * <p>Nesting of {@code ${...}} inside defaults and patterns is limited to 128 levels (the
   * reference has no limit); deeper input fails with an {@link ExpansionException}.
   *
   * @throws ExpansionException on any syntax error, invalid pattern or failed {@code ?} check
   */
  public Expansion expand(String word, Env env) {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(env, "env");
    try {
      return new WordScanner(this, word, env).run();
    } catch (Failure f) {
      throw new ExpansionException(word, f.getMessage(), f.limit());
    } catch (StackOverflowError e) {
      // Only reachable on a thread with a very small stack; the pass keeps no shared state.
      throw new ExpansionException(word, "expansion nested too deeply for this thread's stack");
    }
  }

  /** Single-word mode: the expanded value with the matched and unmatched names (see {@link #expand}). */
  public Expansion processWord(String word, Env env) {
    return expand(word, env);
  }

  /**
   * Word-splitting mode: expands, removes quotes and splits on unquoted whitespace, including
   * whitespace that came from an unquoted expansion. Empty words are dropped.
   */
  public List<String> processWords(String word, Env env) {
    return expand(word, env).words();
  }

  @Override
  public String toString() {
    return "ShellLexer[escape=" + escape + ", rawQuotes=" + rawQuotes + ", rawEscapes=" + rawEscapes
        + ", skipProcessQuotes=" + skipProcessQuotes + ", skipUnsetEnv=" + skipUnsetEnv + "]";
  }
}
