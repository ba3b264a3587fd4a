package dev.gantry.parse;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Directive;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Dockerfile into a {@link SyntaxTree} with exactly the semantics of BuildKit's parser:
 * directives, comments, line continuations with the active escape character, heredoc bodies, and
 * one node per instruction. Unknown instructions are kept (the typed layer rejects them).
 *
 * <p>Unlike BuildKit, which stops at the first error, every syntax error of the file is reported
 * in one {@link DockerfileException}. Inputs larger than {@link #MAX_INPUT_BYTES} are refused, and
 * so is any physical line longer than {@link #MAX_LINE_BYTES} bytes (as in BuildKit).
 *
 * <p>This class is stateless and thread-safe.
 */
final class SyntaxParser {
  private SyntaxParser() {}

  /** The largest Dockerfile accepted: 16 MiB. */
  public static final int MAX_INPUT_BYTES = 16 * 1024 * 1024;

  /** The longest physical line accepted, in bytes without the line break (BuildKit's limit). */
  public static final int MAX_LINE_BYTES = 65535;

  private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("run", "copy", "add");

  /**
   * Parses {@code content} (raw bytes, any encoding quirks kept) into a syntax tree.
   *
   * @param fileName the name used in diagnostics
   * @throws DockerfileException carrying every syntax error found, in source order
   */
  public static SyntaxTree parse(String fileName, byte[] content) {
    if (content.length > MAX_INPUT_BYTES) {
      throw new DockerfileException(Diagnostic.error(fileName, SourceRange.at(1, 1),
          "Dockerfile is " + content.length + " bytes, larger than the limit of " + MAX_INPUT_BYTES
              + " bytes (16 MiB)", "a Dockerfile this large is almost certainly not a Dockerfile"));
    }
    return new Run(fileName, PhysicalLines.split(content)).parse();
  }

  /** The state of one parse. */
  private static final class Run {
    private final String file;
    private final PhysicalLines lines;
    private final DirectiveScanner directiveScanner = DirectiveScanner.create();
    private final List<Directive> directives = new ArrayList<>();
    private final List<SyntaxNode> nodes = new ArrayList<>();
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private char escape = '\\';
    private int next;

    Run(String file, PhysicalLines lines) {
      this.file = file;
      this.lines = lines;
    }

    SyntaxTree parse() {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.tooLong(i)) {
          errors.add(Diagnostic.error(file, SourceRange.at(i + 1, 1),
              "dockerfile line greater than max allowed size of " + MAX_LINE_BYTES,
              "split the line with the escape character " + escape + " at the end of each part"));
        }
      }
      while (next < lines.size()) {
        instruction();
      }
      if (nodes.isEmpty() && errors.isEmpty()) {
        errors.add(Diagnostic.error(file, SourceRange.at(Math.max(1, lines.size()), 1),
            "file with no instructions", "a Dockerfile needs at least a FROM instruction"));
      }
      if (!errors.isEmpty()) {
        errors.sort((a, b) -> Integer.compare(a.range().startLine(), b.range().startLine()));
        throw new DockerfileException(errors);
      }
      return new SyntaxTree(file, escape, directives, nodes, warnings);
    }

    /** Reads the next instruction (skipping blank, comment and directive lines before it). */
    private void instruction() {
      int first = next++;
      String text = GoText.trimLeft(lines.text(first));
      directive(text, first + 1);
      if (isComment(text)) {
        text = "";
      }
      String piece = continued(text);
      boolean endOfLine = piece == null;
      if (endOfLine && text.isEmpty()) {
        return;
      }
      StringBuilder buf = new StringBuilder(endOfLine ? text : piece);
      boolean emptyContinuation = false;
      while (!endOfLine && next < lines.size()) {
        int i = next++;
        String t = lines.text(i);
        if (isComment(t)) {
          continue;
        }
        if (GoText.trimLeft(t).isEmpty()) {
          emptyContinuation = true;
          continue;
        }
        String p = continued(t);
        endOfLine = p == null;
        buf.append(endOfLine ? t : p);
      }
      String line = buf.toString();
      int startLine = first + 1;
      int column = 1 + lines.text(first).codePointCount(0, lines.text(first).length() - text.length());
      if (emptyContinuation) {
        warnings.add(new Diagnostic(Diagnostic.Severity.WARNING, file, SourceRange.lines(next, next),
            "Empty continuation line found in: " + line,
            "Empty continuation lines will become errors in a future release"));
      }
      SourceRange range = range(startLine, column, next);
      SyntaxNode node = null;
      try {
        node = InstructionLine.parse(line, escape, range);
      } catch (InstructionLine.LineError e) {
        errors.add(Diagnostic.error(file, range, e.getMessage(), e.hint));
      }
      List<Heredoc> heredocs = List.of();
      if (mayOpenHeredocs(node, line)) {
        try {
          heredocs = Heredocs.fromLine(line);
        } catch (IllegalArgumentException e) {
          errors.add(Diagnostic.error(file, range, e.getMessage(),
              "balance the quotes around the heredoc delimiter"));
        }
      }
      List<Heredoc> bodies = new ArrayList<>();
      for (Heredoc h : heredocs) {
        Heredoc body = body(h, range);
        if (body == null) {
          break;
        }
        bodies.add(body);
      }
      if (node != null) {
        range = range(startLine, column, next);
        nodes.add(withBodies(node, bodies, range));
      }
    }

    private SourceRange range(int startLine, int column, int endLine) {
      int endColumn = Math.max(1, lines.text(endLine - 1).codePointCount(0, lines.text(endLine - 1).length()));
      return new SourceRange(startLine, column, endLine, endLine == startLine ? Math.max(column, endColumn) : endColumn);
    }

    /** BuildKit's canContainHeredoc (ONBUILD looks at its child); on a failed line, the keyword. */
    private static boolean mayOpenHeredocs(SyntaxNode node, String line) {
      if (!line.contains("<<")) {
        return false;
      }
      if (node == null) {
        List<String> words = Words.splitBlank(GoText.trimSpace(line), 2);
        return !words.isEmpty() && HEREDOC_INSTRUCTIONS.contains(GoText.toLower(words.get(0)));
      }
      SyntaxNode target = node.name().equals("onbuild") && node.child() != null ? node.child() : node;
      return HEREDOC_INSTRUCTIONS.contains(GoText.toLower(target.keyword())) && !target.json();
    }

    /** Reads one heredoc body up to its terminator; null (after an error) when the file ends first. */
    private Heredoc body(Heredoc h, SourceRange range) {
      StringBuilder content = new StringBuilder();
      while (next < lines.size()) {
        int i = next++;
        String t = lines.text(i);
        String candidate = h.chomp() ? stripLeadingTabs(t) : t;
        if (candidate.equals(h.name())) {
          return new Heredoc(h.name(), content.toString(), h.expand(), h.chomp(), h.fileDescriptor());
        }
        content.append(lines.raw(i));
      }
      errors.add(Diagnostic.error(file, range, "unterminated heredoc",
          "end the heredoc with a line holding only " + h.name()));
      return null;
    }

    private static SyntaxNode withBodies(SyntaxNode node, List<Heredoc> bodies, SourceRange range) {
      SyntaxNode child = node.child();
      if (child != null) {
        child = new SyntaxNode(child.keyword(), child.flags(), child.args(), bodies, child.child(),
            child.json(), range, child.original());
      }
      return new SyntaxNode(node.keyword(), node.flags(), node.args(), bodies, child, node.json(), range,
          node.original());
    }

    /** Offers a line to the directive block; applies {@code escape}; records directive errors. */
    private void directive(String text, int lineNumber) {
      if (directiveScanner.done()) {
        return;
      }
      try {
        Optional<Directive> d = directiveScanner.scanLine(text, lineNumber);
        if (d.isEmpty()) {
          return;
        }
        Directive dir = d.get();
        if (dir.name().equals("escape")) {
          if (!dir.value().equals("`") && !dir.value().equals("\\")) {
            errors.add(Diagnostic.error(file, SourceRange.at(lineNumber, 1),
                "invalid escape token '" + dir.value() + "' does not match ` or \\",
                "use # escape=\\ (the default) or # escape=`"));
            return;
          }
          escape = dir.value().charAt(0);
        }
        directives.add(dir);
      } catch (IllegalArgumentException e) {
        errors.add(Diagnostic.error(file, SourceRange.at(lineNumber, 1), e.getMessage(),
            "keep only the first one"));
      }
    }

    /**
     * When {@code line} ends with the escape character (not itself escaped) and optional blanks,
     * the line without them; otherwise null (the instruction ends here).
     */
    private String continued(String line) {
      int k = line.length() - 1;
      while (k >= 0 && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
        k--;
      }
      if (k < 0 || line.charAt(k) != escape) {
        return null;
      }
      if (k > 0 && line.charAt(k - 1) == escape) {
        return null;
      }
      return line.substring(0, k);
    }

    private static boolean isComment(String line) {
      String t = GoText.trimLeft(line);
      return !t.isEmpty() && t.charAt(0) == '#';
    }

    private static String stripLeadingTabs(String s) {
      int i = 0;
      while (i < s.length() && s.charAt(i) == '\t') {
        i++;
      }
      return s.substring(i);
    }
  }
}
