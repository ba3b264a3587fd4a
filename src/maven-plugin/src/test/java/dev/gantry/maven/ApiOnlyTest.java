package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plugin is a client of the public library API (api and model): it imports nothing else of Gantry. */
class ApiOnlyTest {

  @Test
  void mainSourcesImportOnlyTheApiItsModelAndDockerfileException() throws IOException {
    List<String> imports;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      imports = files.filter(p -> p.toString().endsWith(".java"))
          .flatMap(ApiOnlyTest::lines)
          .filter(l -> l.startsWith("import dev.gantry."))
          .distinct()
          .collect(Collectors.toList());
    }
    assertThat(imports).contains("import dev.gantry.api.Gantry;");
    assertThat(imports).allMatch(l -> l.startsWith("import dev.gantry.api.") || l.startsWith("import dev.gantry.model.")
        || l.equals("import dev.gantry.ast.DockerfileException;"), "only dev.gantry.api, dev.gantry.model and DockerfileException");
  }

  private static Stream<String> lines(Path p) {
    try {
      return Files.readAllLines(p).stream().map(String::trim);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
