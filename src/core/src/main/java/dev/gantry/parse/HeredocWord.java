package dev.gantry.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word that opens a here-document ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"},
 * {@code 2<<EOF}), classified as BuildKit's parser does.
 */
record HeredocWord(String name, boolean chomp, boolean expand, int fileDescriptor) {

  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$", Pattern.DOTALL);

  /** The heredoc the word opens, or null when it is not a heredoc word. */
  static HeredocWord parse(String word) {
    Matcher m = HEREDOC.matcher(word);
    if (!m.matches() || m.group(3).isEmpty()) {
      return null;
    }
    String rest = m.group(3);
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < rest.length()) {
      char c = rest.charAt(i);
      if (Character.isWhitespace(c)) {
        return null; // more than one word
      } else if (c == '\'') {
        int end = rest.indexOf('\'', i + 1);
        if (end < 0) {
          return null;
        }
        name.append(rest, i + 1, end);
        quoted = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < rest.length() && rest.charAt(i) != '"') {
          if (rest.charAt(i) == '\\' && i + 1 < rest.length() && "\"$\\`".indexOf(rest.charAt(i + 1)) >= 0) {
            i++;
          }
          name.append(rest.charAt(i++));
        }
        if (i >= rest.length()) {
          return null;
        }
        quoted = true;
        i++;
      } else if (c == '\\' && i + 1 < rest.length()) {
        name.append(rest.charAt(i + 1));
        i += 2;
      } else {
        name.append(c);
        i++;
      }
    }
    int fd = m.group(1).isEmpty() || m.group(1).length() > 9 ? 0 : Integer.parseInt(m.group(1));
    return new HeredocWord(name.toString(), m.group(2).equals("-"), !quoted, fd);
  }

  /** Removes leading tabs from every line ({@code <<-}). */
  static String chomp(String content) {
    return content.replaceAll("(?m)^\t+", "");
  }
}
