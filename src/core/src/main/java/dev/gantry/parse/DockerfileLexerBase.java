package dev.gantry.parse;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.misc.Interval;

/**
 * The superclass of the generated Dockerfile lexer: holds the state the grammar cannot, the active
 * escape character and the exec-form decision. (Heredoc bodies are read by {@link SyntaxParser}, which
 * knows the terminators only after the opening line has been parsed.)
 *
 * <p>The lexer reads one logical instruction line, one char per byte (see {@link GoText#byteView}).
 * The grammar only calls the predicates below. Not thread-safe, like every ANTLR lexer.
 */
public abstract class DockerfileLexerBase extends Lexer {
  /** Instructions whose arguments may be a JSON (exec form) array right after the flags. */
  private static final Set<String> EXEC_FORM = Set.of("run", "cmd", "entrypoint", "shell", "add", "copy", "volume");

  private char escape = '\\';
  private final Map<Integer, Boolean> execFormAt = new HashMap<>();
  private String keyword;

  protected DockerfileLexerBase(CharStream input) {
    super(input);
  }

  /** Sets the escape character from the {@code # escape=} directive ({@code \} or {@code `}). */
  public void setEscape(char escape) {
    this.escape = escape;
  }

  /** The active escape character. */
  public char escape() {
    return escape;
  }

  /** True when the next input char is the escape character. */
  protected boolean isEscapeNext() {
    return _input.LA(1) == escape;
  }

  /** True at the end of the line (an open quote or a trailing escape then ends the word). */
  protected boolean isAtEnd() {
    return _input.LA(1) == CharStream.EOF;
  }

  /** True when the flag word matched so far is a bare {@code --} once quotes and escapes are removed. */
  protected boolean isBareDoubleDash() {
    String text = _input.getText(Interval.of(_tokenStartCharIndex, _input.index() - 1));
    return "--".equals(Flags.decode(text, escape));
  }

  /**
   * True when a {@code [} at the current position starts the arguments of an exec-form instruction
   * and the rest of the line is a valid JSON array of strings (Go's rules); otherwise the text is
   * shell form.
   */
  protected boolean isExecFormStart() {
    int at = _input.index();
    if (_input.LA(1) != '[') {
      return false;
    }
    return execFormAt.computeIfAbsent(at, this::computeExecForm);
  }

  private boolean computeExecForm(int at) {
    if (!EXEC_FORM.contains(keyword())) {
      return false;
    }
    String rest = _input.getText(Interval.of(at, _input.size() - 1));
    return JsonForm.parse(GoText.fromByteView(rest)).kind() == JsonForm.Kind.STRINGS;
  }

  /** The lower-cased keyword of the line being lexed. */
  protected String keyword() {
    if (keyword == null) {
      String all = _input.getText(Interval.of(0, _input.size() - 1));
      int end = 0;
      while (end < all.length() && !GoText.isAsciiBlank(all.charAt(end))) {
        end++;
      }
      keyword = GoText.toLower(GoText.fromByteView(all.substring(0, end)));
    }
    return keyword;
  }
}
