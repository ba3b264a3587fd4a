package dev.gantry.ast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One instruction as the syntax layer sees it, before it is given meaning: the keyword, its leading
 * {@code --flags}, and its arguments split the way BuildKit's parser splits them (this is what
 * {@link AstDump} prints).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param keyword the instruction keyword exactly as written (any case)
 * @param flags the leading {@code --flag[=value]} words, quotes removed and escapes processed; a
 *     bare {@code --} is not included
 * @param args the arguments as split by BuildKit's parser for this instruction (see the dump rules);
 *     empty for ONBUILD, whose argument is {@link #child()}
 * @param heredocs here-documents opened on this instruction line, in order
 * @param child the wrapped instruction of an ONBUILD, else null
 * @param json true when the arguments came from a JSON (exec form) array
 * @param range from the first character of the keyword to the end of the last line (heredoc bodies
 *     included)
 * @param original the instruction's text as written, continuation lines joined as BuildKit joins
 *     them (without heredoc bodies)
 */
public record SyntaxNode(
    String keyword,
    List<String> flags,
    List<String> args,
    List<Heredoc> heredocs,
    SyntaxNode child,
    boolean json,
    SourceRange range,
    String original) {

  public SyntaxNode {
    Objects.requireNonNull(keyword, "keyword");
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(original, "original");
  }

  /** The keyword lower-cased (locale-independent), e.g. {@code "copy"}. */
  public String name() {
    return keyword.toLowerCase(Locale.ROOT);
  }
}
