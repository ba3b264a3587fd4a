package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Golden files under {@code testdata/}: a test compares what it computes with the file, and
 * rewrites the file instead when run with {@code -Dgantry.updateGoldens=true} (then review the diff).
 */
public final class Goldens {
  /** The system property that makes golden tests rewrite their files. */
  public static final String UPDATE_PROPERTY = "gantry.updateGoldens";

  private Goldens() {}

  /** True when golden files are to be rewritten. */
  public static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  /** Asserts that {@code file} holds exactly {@code actual}, or writes it when updating. */
  public static void assertMatches(Path file, String actual) throws IOException {
    if (updating()) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("missing golden; run with -D" + UPDATE_PROPERTY + "=true").exists();
    assertThat(actual).as("golden %s (rewrite with -D%s=true)", file, UPDATE_PROPERTY)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Asserts that {@code file} holds {@code header} (comment lines) and then one {@code name: value}
   * line per entry of {@code values}, in order; writes it when updating.
   */
  public static void assertValues(Path file, String header, Map<String, String> values) throws IOException {
    StringBuilder sb = new StringBuilder();
    header.lines().forEach(l -> sb.append("# ").append(l).append('\n'));
    values.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    assertMatches(file, sb.toString());
  }
}
