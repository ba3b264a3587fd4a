package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ast.AstDump;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link SyntaxParser} that the dump format does not show. */
class SyntaxParserTest {

  private static SyntaxTree parse(String text) {
    return SyntaxParser.parse("Dockerfile", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void heredocBodiesKeepTabsAndLineBreaksAndRangesCoverThem() {
    SyntaxTree tree = parse("FROM a\nRUN <<-EOF\n\techo hi\r\n\tEOF\nCOPY <<X <<'Y' /d\nx\nX\ny $v\nY\n");
    SyntaxNode run = tree.children().get(1);
    assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "\techo hi\r\n", true, true, 0));
    assertThat(run.range()).isEqualTo(new SourceRange(2, 1, 4, 4));
    SyntaxNode copy = tree.children().get(2);
    assertThat(copy.heredocs()).extracting(Heredoc::name, Heredoc::content, Heredoc::expand)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("X", "x\n", true),
            org.assertj.core.groups.Tuple.tuple("Y", "y $v\n", false));
    assertThat(copy.range().startLine()).isEqualTo(5);
    assertThat(copy.range().endLine()).isEqualTo(9);
    assertThat(copy.original()).isEqualTo("COPY <<X <<'Y' /d");
  }

  @Test
  void onbuildHeredocIsAttachedToTheOnbuildNodeAndItsChild() {
    SyntaxNode onbuild = parse("FROM a\nONBUILD RUN <<EOF\nmake\nEOF\n").children().get(1);
    assertThat(onbuild.heredocs()).extracting(Heredoc::content).containsExactly("make\n");
    assertThat(onbuild.child().heredocs()).isEqualTo(onbuild.heredocs());
    assertThat(onbuild.child().original()).isEqualTo("RUN <<EOF");
  }

  @Test
  void originalJoinsContinuationLinesWithoutTheEscapeAndKeepsIndentation() {
    SyntaxTree tree = parse("FROM a\n  RUN a \\\n   b\n");
    SyntaxNode run = tree.children().get(1);
    assertThat(run.original()).isEqualTo("RUN a    b");
    assertThat(run.range()).isEqualTo(new SourceRange(2, 3, 3, 4));
  }

  @Test
  void emptyContinuationLinesWarnOncePerInstruction() {
    SyntaxTree tree = parse("FROM a\nRUN a \\\n\n  \\\n\n b\nRUN c \\\n# comment\n d\n");
    assertThat(tree.warnings()).hasSize(1);
    Diagnostic w = tree.warnings().get(0);
    assertThat(w.severity()).isEqualTo(Diagnostic.Severity.WARNING);
    assertThat(w.message()).isEqualTo("Empty continuation line found in: RUN a    b");
    assertThat(w.range().startLine()).isEqualTo(6);
  }

  @Test
  void escapeDirectiveIsRecordedAndUsed() {
    SyntaxTree tree = parse("# escape=`\n# syntax=x/y\nFROM a\nRUN a `\n b\n");
    assertThat(tree.escape()).isEqualTo('`');
    assertThat(tree.directives()).extracting(d -> d.name() + "=" + d.value() + "@" + d.line())
        .containsExactly("escape=`@1", "syntax=x/y@2");
    assertThat(AstDump.dump(tree.children().get(1))).isEqualTo("run \"a  b\"");
  }

  @Test
  void overlongLineIsAnError() {
    String text = "FROM a\nLABEL x=" + "a".repeat(65536) + "\nRUN ok\n";
    assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(DockerfileException.class, e ->
        assertThat(e.diagnostics()).extracting(Diagnostic::headline)
            .containsExactly("Dockerfile:2:1: dockerfile line greater than max allowed size of 65535"));
    String justFits = "FROM a\nLABEL x=" + "a".repeat(65535 - 8) + "\n";
    assertThat(parse(justFits).children()).hasSize(2);
  }

  @Test
  void oversizedInputIsRefusedWithAClearError() {
    byte[] big = new byte[SyntaxParser.MAX_INPUT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) '#');
    assertThatThrownBy(() -> SyntaxParser.parse("big", big)).isInstanceOfSatisfying(DockerfileException.class,
        e -> assertThat(e.diagnostics().get(0).message()).contains("larger than the limit"));
  }

  @Test
  void unterminatedHeredocHasAHint() {
    assertThatThrownBy(() -> parse("FROM a\nRUN <<END\nx\n")).isInstanceOfSatisfying(DockerfileException.class,
        e -> assertThat(e.format()).contains("Dockerfile:2:1: unterminated heredoc")
            .contains("hint: end the heredoc with a line holding only END"));
  }

  @Test
  void helpersMatchBuildKit() {
    assertThat(Words.split("a\\ b 'c d' e", '\\')).containsExactly("a\\ b", "'c d'", "e");
    assertThat(NameValues.parse("ENV", "A=1 B=\"x y\"", '\\')).containsExactly("A", "1", "=", "B", "\"x y\"", "=");
    assertThat(JsonForm.parse("[\"a\", \"\\u00e9\"]").values()).containsExactly("a", "é");
    assertThat(JsonForm.parse("[1]").kind()).isEqualTo(JsonForm.Kind.NOT_STRINGS);
    assertThat(JsonForm.parse("[\"a\"] x").kind()).isEqualTo(JsonForm.Kind.NOT_JSON);
    assertThat(JsonForm.parse("[" + "[".repeat(10000) + "]".repeat(10000) + "]").kind())
        .isEqualTo(JsonForm.Kind.NOT_JSON);
    assertThat(Heredocs.fromLine("RUN 2<<EOF <<-'X'")).extracting(Heredoc::name, Heredoc::fileDescriptor)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("EOF", 2), org.assertj.core.groups.Tuple.tuple("X", 0));
    assertThat(Heredocs.chomp("\t\ta\n b\n\tc")).isEqualTo("a\n b\nc");
    assertThat(AstDump.quote("a\"\\\u0007\u007f\u00ad\uD83D\uDE00\uDCFF")).isEqualTo("\"a\\\"\\\\\\a\\x7f\\u00ad😀\\xff\"");
    assertThat(List.of(GoText.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})))
        .containsExactly("\uDCED\uDCA0\uDC80");
  }
}
