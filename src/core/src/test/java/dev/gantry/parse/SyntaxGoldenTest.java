package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gantry.TestPaths;
import dev.gantry.ast.AstDump;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our own golden cases: {@code testdata/parse/<case>/Dockerfile} must dump as {@code dump}, and
 * {@code testdata/parse-errors/<case>/Dockerfile} must fail with exactly the diagnostics in
 * {@code errors} (one headline per line). Run with {@code -Dgantry.updateGoldens=true} to rewrite
 * the expected files from the current output.
 */
class SyntaxGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("gantry.updateGoldens");

  static Stream<Path> parseCases() throws IOException {
    return cases("parse");
  }

  static Stream<Path> errorCases() throws IOException {
    return cases("parse-errors").filter(d -> !d.getFileName().toString().startsWith("typed-"));
  }

  private static Stream<Path> cases(String area) throws IOException {
    try (Stream<Path> s = Files.list(TestPaths.testdata(area))) {
      return s.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parseCases")
  void dumpMatchesGolden(Path dir) throws IOException {
    SyntaxTree tree = SyntaxParser.parse("Dockerfile", Files.readAllBytes(dir.resolve("Dockerfile")));
    String actual = AstDump.dump(tree) + "\n";
    check(dir.resolve("dump"), actual);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void errorsMatchGolden(Path dir) throws IOException {
    byte[] content = Files.readAllBytes(dir.resolve("Dockerfile"));
    String actual;
    try {
      SyntaxParser.parse("Dockerfile", content);
      actual = "(no error)\n";
    } catch (DockerfileException e) {
      actual = e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n")) + "\n";
      assertThat(e.diagnostics()).allSatisfy(d -> assertThat(d.range().startLine()).isPositive());
    }
    check(dir.resolve("errors"), actual);
    assertThat(actual).isNotEqualTo("(no error)\n");
  }

  private static void check(Path expectedFile, String actual) throws IOException {
    if (UPDATE) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(expectedFile)) {
      fail("missing golden " + expectedFile.getFileName() + "; run with -Dgantry.updateGoldens=true");
    }
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }
}
