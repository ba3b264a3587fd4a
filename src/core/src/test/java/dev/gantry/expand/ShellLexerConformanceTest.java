package dev.gantry.expand;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs BuildKit's expansion vectors ({@code shell/envVarTest}, {@code shell/wordsTest} and
 * {@code cases/shell-lexer-cases.jsonl}) against {@link ShellLexer} and prints the pass counts.
 * Cases listed in {@link #KNOWN_GAPS} (documented in testdata/KNOWN-GAPS.md) are reported, not
 * failed; every other case must pass.
 */
class ShellLexerConformanceTest {
  /** Case id -> reason; kept in step with the "## expand" section of testdata/KNOWN-GAPS.md. */
  static final Map<String, String> KNOWN_GAPS = Map.of();

  private static final Env ENV_VAR_TEST_ENV =
      Env.of(Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", ""));

  @Test
  void envVarTestVectors() throws IOException {
    Path file = TestPaths.conformance().resolve("shell/envVarTest");
    Tally tally = new Tally("shell/envVarTest");
    int lineNo = 0;
    for (String line : lines(file)) {
      lineNo++;
      if (line.startsWith("#") || line.strip().isEmpty()) {
        continue;
      }
      String[] f = line.strip().split("\\|", -1);
      assertThat(f).as("line %d has three fields", lineNo).hasSize(3);
      String platform = f[0].strip();
      String input = f[1].strip();
      String expected = f[2].strip();
      if (platform.equals("W")) {
        tally.skipped++;
        continue;
      }
      String id = "envVarTest:" + lineNo;
      tally.check(id, input, () -> {
        String actual = outcome(() -> ShellLexer.standard().processWord(input, ENV_VAR_TEST_ENV).value());
        return expected.equals("error") ? isError(actual) : actual.equals(expected);
      });
    }
    tally.finish();
    assertThat(tally.passed).isGreaterThanOrEqualTo(228 - KNOWN_GAPS.size());
  }

  @Test
  void wordsTestVectors() throws IOException {
    Path file = TestPaths.conformance().resolve("shell/wordsTest");
    Tally tally = new Tally("shell/wordsTest");
    List<String> envList = new ArrayList<>();
    int lineNo = 0;
    for (String line : lines(file)) {
      lineNo++;
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        envList.add(line.substring(4).replaceFirst("^ +", ""));
        continue;
      }
      int bar = line.indexOf('|');
      String input = line.substring(0, bar).strip();
      String right = line.substring(bar + 1).replaceFirst("^ +", "");
      Env env = Env.fromList(envList);
      tally.check("wordsTest:" + lineNo, input, () -> {
        String actual = outcome(() -> String.join(",", ShellLexer.standard().processWords(input, env)));
        return right.equals("error") ? isError(actual) : actual.equals(right);
      });
    }
    tally.finish();
    assertThat(tally.passed).isGreaterThanOrEqualTo(24 - KNOWN_GAPS.size());
  }

  @Test
  void shellLexerCases() throws IOException {
    Path file = TestPaths.conformance().resolve("cases/shell-lexer-cases.jsonl");
    ObjectMapper json = new ObjectMapper();
    Map<String, Tally> tallies = new TreeMap<>();
    int lineNo = 0;
    for (String line : lines(file)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode c = json.readTree(line);
      String kind = c.get("kind").asText();
      Tally tally = tallies.computeIfAbsent(kind, k -> new Tally("shell-lexer-cases " + k));
      tally.check("shell-lexer-cases:" + lineNo, line, () -> passes(kind, c));
    }
    tallies.values().forEach(Tally::finish);
    assertThat(tallies.keySet()).contains("processWordWithMatches", "processWord", "envFromList",
        "shellPatternToRegex", "reversePattern");
  }

  private static boolean passes(String kind, JsonNode c) {
    boolean expectError = c.path("expectError").asBoolean(false)
        || c.path("expected").asText("").equals("error") && !kind.equals("envFromList");
    switch (kind) {
      case "processWordWithMatches":
      case "processWord": {
        Env env = kind.equals("processWord") ? Env.fromList(strings(c.get("envList")))
            : Env.of(stringMap(c.get("env")));
        try {
          Expansion e = ShellLexer.standard().processWord(c.get("input").asText(), env);
          if (expectError) {
            return false;
          }
          return e.value().equals(c.get("expected").asText())
              && (!c.has("matched") || e.matched().equals(new TreeSet<>(strings(c.get("matched")))))
              && (!c.has("unmatched") || e.unmatched().equals(new TreeSet<>(strings(c.get("unmatched")))));
        } catch (ExpansionException ex) {
          return expectError && (!c.has("errorContains")
              || ex.getMessage().contains(c.get("errorContains").asText()));
        }
      }
      case "envFromList":
        return Env.fromList(strings(c.get("envList"))).lookup(c.get("name").asText()).orElse("")
            .equals(c.get("expected").asText());
      case "shellPatternToRegex":
        try {
          String regex = ShellPattern.compile(c.get("pattern").asText()).toRegex(true, true);
          return !expectError && regex.equals(c.get("expectedGoRegexp").asText());
        } catch (Failure f) {
          return expectError;
        }
      case "reversePattern":
        return ShellPattern.reverse(c.get("pattern").asText()).equals(c.get("expected").asText());
      default:
        throw new AssertionError("unknown kind " + kind);
    }
  }

  // ---- helpers ----

  private static final String ERROR = "\u0000error";

  private static boolean isError(String outcome) {
    return outcome.equals(ERROR);
  }

  private interface Producer {
    String get();
  }

  private interface Check {
    boolean passes();
  }

  /** The produced text, or a marker when an {@link ExpansionException} was thrown. */
  private static String outcome(Producer p) {
    try {
      return p.get();
    } catch (ExpansionException e) {
      return ERROR;
    }
  }

  private static List<String> lines(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    return Arrays.asList(text.split("\n", -1));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** Counts passes and failures of one file or kind and reports them. */
  private static final class Tally {
    final String name;
    int passed;
    int skipped;
    final List<String> failures = new ArrayList<>();
    final Set<String> gapsHit = new TreeSet<>();

    Tally(String name) {
      this.name = name;
    }

    void check(String id, String input, Check check) {
      boolean ok;
      try {
        ok = check.passes();
      } catch (RuntimeException e) {
        ok = false;
        input = input + " (threw " + e + ")";
      }
      if (ok) {
        passed++;
      } else if (KNOWN_GAPS.containsKey(id)) {
        gapsHit.add(id + " " + input + ": " + KNOWN_GAPS.get(id));
      } else {
        failures.add(id + " " + input);
      }
    }

    void finish() {
      int total = passed + failures.size() + gapsHit.size();
      System.out.printf("conformance %s: %d/%d passed%s%s%n", name, passed, total,
          skipped > 0 ? ", " + skipped + " Windows-only skipped" : "",
          gapsHit.isEmpty() ? "" : ", known gaps: " + gapsHit);
      assertThat(failures).as("%s failures", name).isEmpty();
    }
  }
}
