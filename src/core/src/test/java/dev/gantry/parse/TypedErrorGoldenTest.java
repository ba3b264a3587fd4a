package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.TestPaths;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases {@code testdata/parse-errors/typed-<case>/}: a {@code Dockerfile} and either
 * {@code errors} (every expected error headline, one per line) or {@code warnings} (the file converts
 * and gives exactly these warnings). Run with {@code -Dgantry.rewriteGoldens=true} to rewrite them.
 */
class TypedErrorGoldenTest {

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(TestPaths.testdata("parse-errors"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("typed-")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws IOException {
    byte[] content = Files.readAllBytes(dir.resolve("Dockerfile"));
    boolean expectErrors = Files.exists(dir.resolve("errors"));
    Path golden = dir.resolve(expectErrors ? "errors" : "warnings");
    SyntaxTree tree = Dockerfiles.syntax("Dockerfile", content);
    List<Diagnostic> actual;
    try {
      Dockerfile d = Dockerfiles.convert(tree, content);
      assertThat(expectErrors).as("conversion must fail, but it gave " + d.stages().size() + " stages").isFalse();
      actual = d.warnings();
    } catch (DockerfileException e) {
      assertThat(expectErrors).as("conversion must succeed, but it failed with " + e.format()).isTrue();
      actual = e.diagnostics();
    }
    List<String> lines = actual.stream().map(Diagnostic::headline).toList();
    if (Boolean.getBoolean("gantry.rewriteGoldens")) {
      Files.writeString(golden, String.join("\n", lines) + "\n");
    }
    assertThat(lines).containsExactlyElementsOf(Files.readAllLines(golden));
  }
}
