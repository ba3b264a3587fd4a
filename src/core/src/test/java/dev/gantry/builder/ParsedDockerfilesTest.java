package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A JVM parses an unchanged Dockerfile once; new content, another name or an error parse again. */
class ParsedDockerfilesTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anUnchangedDockerfileIsParsedOnce() throws Exception {
    String text = "FROM scratch\nCOPY a /a\n# " + System.nanoTime() + "\n";
    Dockerfile first = ParsedDockerfiles.parse("Dockerfile", bytes(text));
    assertThat(ParsedDockerfiles.parse("Dockerfile", bytes(text))).isSameAs(first);
    assertThat(ParsedDockerfiles.parse("other.Dockerfile", bytes(text))).as("names appear in diagnostics")
        .isNotSameAs(first).extracting(Dockerfile::file).isEqualTo("other.Dockerfile");
    Dockerfile changed = ParsedDockerfiles.parse("Dockerfile", bytes(text + "ENV A=1\n"));
    assertThat(changed.stages().get(0).instructions()).hasSize(2);
  }

  @Test
  void aDockerfileWithErrorsFailsEveryTime() {
    byte[] bad = bytes("FROM scratch\nCOPY\n");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> ParsedDockerfiles.parse("Dockerfile", bad)).isInstanceOf(DockerfileException.class)
          .hasMessageContaining("Dockerfile:2");
    }
  }
}
