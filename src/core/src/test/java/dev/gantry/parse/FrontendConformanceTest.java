package dev.gantry.parse;

import static dev.gantry.parse.ConformanceTally.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.ExposedPorts;
import dev.gantry.ast.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs the front-end-only records of BuildKit's {@code cases/frontend-cases.jsonl}: {@code convert},
 * {@code errorLocation}, {@code parseKeyValue}, {@code exposePort} and {@code exposePorts}.
 */
class FrontendConformanceTest {

  private static final Set<String> KINDS = Set.of("convert", "errorLocation", "parseKeyValue", "exposePort",
      "exposePorts");

  private static final String BUILD_TIME = "fails only when building (the front end accepts the file); the "
      + "builder reports it at this instruction";

  /** Records we believe do not apply to the front end; each is explained in KNOWN-GAPS.md. */
  static final Map<String, String> KNOWN_GAPS = Map.of(
      "frontend-cases.jsonl:2", "needs the syntax= frontend image to be pulled, which Gantry does not do",
      "frontend-cases.jsonl:3", BUILD_TIME + " (the command is not found)",
      "frontend-cases.jsonl:4", BUILD_TIME + " (the source is missing from the context)",
      "frontend-cases.jsonl:6", BUILD_TIME + " (the --from image does not exist)",
      "frontend-cases.jsonl:7", BUILD_TIME + " (the command is not found)");

  @Test
  void frontendCases() throws Exception {
    ConformanceTally.assertDocumented(KNOWN_GAPS);
    ConformanceTally tally = new ConformanceTally("frontend-cases.jsonl", KNOWN_GAPS);
    for (ConformanceTally.Case c : ConformanceTally.load("frontend-cases.jsonl")) {
      if (KINDS.contains(c.kind())) {
        tally.run(c, FrontendConformanceTest::check);
      }
    }
    tally.finish();
  }

  static void check(ConformanceTally.Case c) {
    JsonNode j = c.json();
    switch (c.kind()) {
      case "parseKeyValue" -> assertThat(KeyValue.parse(j.get("input").asText()))
          .isEqualTo(new KeyValue(j.get("key").asText(), j.get("value").asText(), false));
      case "exposePort" -> ports(List.of(j.get("spec").asText()), j);
      case "exposePorts" -> ports(strings(j.get("specs")), j);
      case "errorLocation" -> {
        Throwable t = catchThrowable(() -> InstructionsConformanceTest.parse(j.get("dockerfile").asText()));
        assertThat(t).isInstanceOf(DockerfileException.class);
        Set<Integer> lines = new TreeSet<>();
        for (Diagnostic d : ((DockerfileException) t).diagnostics()) {
          for (int l = d.range().startLine(); l <= d.range().endLine(); l++) {
            lines.add(l);
          }
        }
        List<Integer> want = toInts(j.get("expectedErrorLines"));
        assertThat(lines).containsExactlyElementsOf(want);
      }
      case "convert" -> {
        Throwable t = catchThrowable(() -> {
          Dockerfile d = InstructionsConformanceTest.parse(j.get("dockerfile").asText());
          if (j.has("target") && d.stage(j.get("target").asText()).isEmpty()) {
            throw new IllegalArgumentException("target stage \"" + j.get("target").asText() + "\" could not be found");
          }
        });
        if (j.get("ok").asBoolean()) {
          assertThat(t).isNull();
        } else {
          assertThat(t).isNotNull();
          if (j.has("expectedError")) {
            assertThat(t.getMessage()).contains(j.get("expectedError").asText());
          }
        }
      }
      default -> throw new AssertionError(c.kind());
    }
  }

  private static void ports(List<String> specs, JsonNode j) {
    Throwable t = catchThrowable(() -> ExposedPorts.normalize(specs));
    if (j.has("expectedError") || j.path("expectError").asBoolean()) {
      assertThat(t).isInstanceOf(IllegalArgumentException.class);
      if (j.has("expectedError")) {
        assertThat(t).hasMessage(j.get("expectedError").asText());
      }
    } else {
      assertThat(t).isNull();
      assertThat(ExposedPorts.normalize(specs)).isEqualTo(strings(j.get("expected")));
    }
  }

  private static List<Integer> toInts(JsonNode array) {
    return strings(array).stream().map(Integer::valueOf).toList();
  }
}
