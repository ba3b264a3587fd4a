package dev.gantry.parse;

import dev.gantry.ast.Heredoc;
import dev.gantry.expand.Env;
import dev.gantry.expand.ExpansionException;
import dev.gantry.expand.ShellLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heredoc openers ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}, {@code 2<<EOF}) found the way
 * BuildKit finds them: the instruction line is split into shell words (quotes and escapes kept),
 * and each word that matches {@code ^(\d*)<<(-?)\s*([^<]*)$} with exactly one word after it opens a
 * heredoc. A quoted delimiter disables expansion.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class Heredocs {
  private Heredocs() {}

  private static final Pattern OPENER = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)\\z");
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\\t+");
  /** The shell lexer that finds heredoc openers: unset variables are kept as written. */
  private static final ShellLexer WORDS = ShellLexer.standard().skipUnsetEnv(true);

  /**
   * Classifies one shell word: a heredoc opener (its body still empty), or empty when the word
   * opens none.
   *
   * @throws IllegalArgumentException when the delimiter has unbalanced quotes
   */
  public static Optional<Heredoc> parseWord(String word) {
    Matcher m = OPENER.matcher(word);
    if (!m.matches()) {
      return Optional.empty();
    }
    String rest = m.group(3);
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    List<String> words = words(rest, false, false);
    if (words.size() != 1) {
      return Optional.empty();
    }
    List<String> raw = words(rest, true, false);
    if (raw.size() != words.size()) {
      throw new IllegalArgumentException(
          "internal lexing of heredoc produced inconsistent results: " + rest);
    }
    String name = words.get(0);
    boolean expand = quoteCount(name) == quoteCount(raw.get(0));
    return Optional.of(new Heredoc(name, "", expand, "-".equals(m.group(2)), fileDescriptor(m.group(1))));
  }

  /**
   * Every heredoc an instruction line opens, in order (bodies empty). A line the shell splitter
   * cannot read opens none, as in BuildKit.
   *
   * @throws IllegalArgumentException when an opener's delimiter has unbalanced quotes
   */
  public static List<Heredoc> fromLine(String line) {
    List<String> words;
    try {
      words = words(line, true, true);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    List<Heredoc> docs = new ArrayList<>();
    for (String w : words) {
      parseWord(w).ifPresent(docs::add);
    }
    return docs;
  }

  /** Removes the leading TAB characters (not spaces) of every line, as {@code <<-} asks. */
  public static String chomp(String content) {
    return LEADING_TABS.matcher(content).replaceAll("");
  }

  private static int quoteCount(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        n++;
      }
    }
    return n;
  }

  private static int fileDescriptor(String digits) {
    if (digits.isEmpty()) {
      return 0;
    }
    if (digits.length() > 9) {
      return Integer.MAX_VALUE;
    }
    return Integer.parseInt(digits);
  }

  /**
   * Splits {@code text} into shell words as BuildKit's parser does to find heredoc openers: its
   * shell lexer with escape {@code \\}, an empty environment and unset variables kept as written
   * (their syntax is still checked). Go's scanner reads invalid UTF-8 as U+FFFD.
   *
   * @throws IllegalArgumentException with BuildKit's reason when {@code text} is not well formed
   */
  private static List<String> words(String text, boolean rawQuotes, boolean rawEscapes) {
    try {
      return WORDS.rawQuotes(rawQuotes).rawEscapes(rawEscapes).processWords(GoText.replaceInvalid(text), Env.empty());
    } catch (ExpansionException e) {
      throw new IllegalArgumentException("failed to process \"" + text + "\": " + e.reason(), e);
    }
  }
}
