package dev.gantry.parse;

import dev.gantry.ast.SourceRange;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.parse.antlr.DockerfileLexer;
import dev.gantry.parse.antlr.DockerfileParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

/**
 * Turns one logical instruction line into a {@link SyntaxNode} (BuildKit's {@code newNodeFromLine}):
 * the generated lexer and parser find the keyword, the flags and the exec-form array or shell-form
 * text; the per-instruction splitting of the arguments follows BuildKit's line parsers.
 */
final class InstructionLine {
  private InstructionLine() {}

  /** A syntax error in one instruction, with an optional hint. */
  static final class LineError extends Exception {
    private static final long serialVersionUID = 1L;
    final String hint;

    LineError(String message, String hint) {
      super(message, null, false, false);
      this.hint = hint;
    }
  }

  /** Fails fast on anything the grammar cannot read (the grammar is total, so this is a bug). */
  private static final BaseErrorListener STRICT = new BaseErrorListener() {
    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
        RecognitionException e) {
      throw new IllegalStateException("internal grammar error at column " + col + ": " + msg);
    }
  };

  /** Parses {@code line} (as joined from physical lines) into a node with {@code range}. */
  static SyntaxNode parse(String line, char escape, SourceRange range) throws LineError {
    String trimmed = GoText.trimSpace(line);
    String bytes = GoText.byteView(trimmed);
    DockerfileLexer lexer = new DockerfileLexer(CharStreams.fromString(bytes));
    lexer.setEscape(escape);
    lexer.removeErrorListeners();
    lexer.addErrorListener(STRICT);
    DockerfileParser parser = new DockerfileParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(STRICT);
    DockerfileParser.InstructionContext tree = parser.instruction();

    String keyword = tree.KEYWORD() == null ? "" : GoText.fromByteView(tree.KEYWORD().getText());
    List<String> flags = new ArrayList<>();
    for (DockerfileParser.FlagContext f : tree.flag()) {
      // BuildKit writes each flag byte as the rune of the same value: the byte view already is that.
      flags.add(Flags.decode(f.getText(), escape));
    }
    String rest = "";
    List<String> execValues = null;
    DockerfileParser.ArgumentsContext args = tree.arguments();
    if (args != null) {
      int start = args.getStart().getStartIndex();
      rest = GoText.trimSpace(GoText.fromByteView(bytes.substring(start)));
      if (args.execForm() != null) {
        execValues = new ArrayList<>();
        for (var s : args.execForm().STRING()) {
          execValues.add(JsonForm.unquote(GoText.fromByteView(s.getText())));
        }
      }
    }
    return build(keyword, flags, rest, execValues, escape, range, line);
  }

  private static SyntaxNode build(String keyword, List<String> flags, String rest, List<String> exec,
      char escape, SourceRange range, String original) throws LineError {
    String name = GoText.toLower(keyword);
    List<String> out = new ArrayList<>();
    boolean json = false;
    SyntaxNode child = null;
    switch (name) {
      case "add", "copy", "volume" -> {
        List<String> values = exec != null ? exec : jsonOrNull(rest);
        if (values != null) {
          out.addAll(values);
          json = true;
        } else {
          out.addAll(Words.splitBlank(rest));
        }
      }
      case "run", "cmd", "entrypoint", "shell" -> {
        if (!rest.isEmpty()) {
          List<String> values = exec != null ? exec : jsonOrNull(rest);
          if (values != null) {
            out.addAll(values);
            json = true;
          } else {
            out.add(rest);
          }
        }
      }
      case "from", "expose" -> out.addAll(Words.splitBlank(rest));
      case "healthcheck" -> json = healthcheck(rest, out);
      case "env", "label" -> {
        try {
          out.addAll(NameValues.parse(name.toUpperCase(java.util.Locale.ROOT), rest, escape));
        } catch (IllegalArgumentException e) {
          throw new LineError(e.getMessage(), name.equals("env")
              ? "write ENV NAME=value (or the legacy ENV NAME value)"
              : "write LABEL key=value");
        }
      }
      case "arg" -> out.addAll(Words.split(rest, escape));
      case "maintainer", "stopsignal", "user", "workdir" -> {
        if (!rest.isEmpty()) {
          out.add(rest);
        }
      }
      case "onbuild" -> {
        if (!rest.isEmpty()) {
          child = parse(rest, escape, range);
        }
      }
      default -> out.add("");
    }
    return new SyntaxNode(keyword, flags, out, List.of(), child, json, range, original);
  }

  /** The strings of a valid JSON string array; null when not JSON (shell form); an error otherwise. */
  private static List<String> jsonOrNull(String rest) throws LineError {
    JsonForm.Result r = JsonForm.parse(rest);
    return switch (r.kind()) {
      case STRINGS -> r.values();
      case NOT_JSON -> null;
      case NOT_STRINGS -> throw new LineError(JsonForm.NOT_STRINGS,
          "quote every element, e.g. [\"sh\", \"-c\", \"echo hi\"]");
    };
  }

  /** HEALTHCHECK: the type word (split byte-wise, as BuildKit does), then the rest as for CMD. */
  private static boolean healthcheck(String rest, List<String> out) throws LineError {
    byte[] b = GoText.encode(rest);
    int sep = 0;
    while (sep < b.length && !isSpaceByte(b[sep])) {
      sep++;
    }
    int next = sep;
    while (next < b.length && isSpaceByte(b[next])) {
      next++;
    }
    if (sep == 0) {
      return false;
    }
    out.add(GoText.decode(b, 0, sep));
    String cmd = GoText.decode(b, next, b.length);
    if (cmd.isEmpty()) {
      return false;
    }
    List<String> values = jsonOrNull(cmd);
    if (values != null) {
      out.addAll(values);
      return true;
    }
    out.add(cmd);
    return false;
  }

  private static boolean isSpaceByte(byte x) {
    return GoText.isSpace(x & 0xFF);
  }
}
