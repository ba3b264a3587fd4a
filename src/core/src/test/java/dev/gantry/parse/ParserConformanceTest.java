package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.TestPaths;
import dev.gantry.ast.AstDump;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the syntax layer against BuildKit's conformance data: every parser test file's dump, every
 * negative file, and every record of {@code cases/parser-cases.jsonl}. Skipped (with a message)
 * when the conformance folder is absent.
 */
class ParserConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Records we believe wrong or out of scope, by kind and 0-based index within the kind; see testdata/KNOWN-GAPS.md. */
  static final Map<String, List<Integer>> KNOWN_GAPS = Map.of("heredocsFromLine", List.of(3));

  static Stream<Path> positive() throws IOException {
    return dirs("parser/testfiles");
  }

  static Stream<Path> negative() throws IOException {
    return dirs("parser/testfiles-negative");
  }

  private static Stream<Path> dirs(String sub) throws IOException {
    Path root = TestPaths.conformanceOrNull();
    if (root == null) {
      return Stream.of(Path.of("<conformance data absent>"));
    }
    try (Stream<Path> s = Files.list(root.resolve(sub))) {
      return s.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger[] TALLY = {
      new java.util.concurrent.atomic.AtomicInteger(), new java.util.concurrent.atomic.AtomicInteger(),
      new java.util.concurrent.atomic.AtomicInteger(), new java.util.concurrent.atomic.AtomicInteger()};

  @org.junit.jupiter.api.AfterAll
  static void printCounts() {
    if (TALLY[1].get() + TALLY[3].get() > 0) {
      System.out.printf("parser/testfiles           %d/%d dumps identical%n", TALLY[0].get(), TALLY[1].get());
      System.out.printf("parser/testfiles-negative  %d/%d rejected with a position%n", TALLY[2].get(), TALLY[3].get());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positive")
  void dumpMatchesBuildKit(Path dir) throws IOException {
    TestPaths.conformance();
    TALLY[1].incrementAndGet();
    SyntaxTree tree = SyntaxParser.parse("Dockerfile", Files.readAllBytes(dir.resolve("Dockerfile")));
    String expected = Files.readString(dir.resolve("result"), StandardCharsets.UTF_8);
    assertThat(AstDump.dump(tree) + "\n").isEqualTo(expected);
    TALLY[0].incrementAndGet();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negative")
  void negativeFileIsRejectedWithPosition(Path dir) throws IOException {
    TestPaths.conformance();
    TALLY[3].incrementAndGet();
    byte[] content = Files.readAllBytes(dir.resolve("Dockerfile"));
    assertThatThrownBy(() -> SyntaxParser.parse("Dockerfile", content))
        .isInstanceOfSatisfying(DockerfileException.class, e -> {
          assertThat(e.diagnostics()).isNotEmpty();
          assertThat(e.diagnostics().get(0).range().startLine()).isPositive();
          assertThat(e.diagnostics().get(0).headline()).startsWith("Dockerfile:");
        });
    TALLY[2].incrementAndGet();
  }

  @Test
  void everyParserCasePasses() throws IOException {
    Path root = TestPaths.conformance();
    List<String> lines = Files.readAllLines(root.resolve("cases/parser-cases.jsonl"), StandardCharsets.UTF_8);
    Map<String, int[]> counts = new TreeMap<>();
    StringBuilder failures = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode c = JSON.readTree(line);
      String kind = c.get("kind").asText();
      int[] n = counts.computeIfAbsent(kind, k -> new int[3]);
      int index = n[2]++;
      boolean known = KNOWN_GAPS.getOrDefault(kind, List.of()).contains(index);
      String problem;
      try {
        problem = ParserCases.check(c, root);
      } catch (RuntimeException | AssertionError e) {
        problem = e.toString();
      }
      if (problem == null) {
        n[0]++;
      } else if (known) {
        n[1]++;
      } else {
        failures.append(kind).append('#').append(index).append(": ").append(problem).append('\n');
      }
    }
    counts.forEach((k, n) -> System.out.printf("parser-cases %-26s %d/%d passed%s%n", k, n[0], n[2],
        n[1] > 0 ? " (" + n[1] + " known gaps)" : ""));
    if (failures.length() > 0) {
      fail("parser cases failed:\n" + failures);
    }
    assertThat(counts).isNotEmpty();
  }
}
