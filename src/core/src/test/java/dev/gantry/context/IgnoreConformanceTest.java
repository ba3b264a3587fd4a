package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every record of BuildKit's {@code cases/dockerignore-cases.jsonl} against {@link
 * IgnoreMatcher}, {@link IgnorePattern} and {@link IgnoreFile}. Records listed under {@code ## ignore}
 * in {@code testdata/KNOWN-GAPS.md} are reported and expected to fail; all others must pass.
 */
class IgnoreConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "dockerignore-cases.jsonl";

  @Test
  void everyRecordPasses() throws IOException {
    Path cases = TestPaths.conformance().resolve("cases").resolve(FILE);
    List<String> lines = Files.readAllLines(cases, StandardCharsets.UTF_8);
    Set<String> gaps = knownGaps();
    Map<String, int[]> counts = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    List<String> gapsThatFailed = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String id = FILE + ":" + (i + 1);
      JsonNode record = JSON.readTree(lines.get(i));
      String kind = record.get("kind").asText();
      String problem = check(kind, record);
      int[] c = counts.computeIfAbsent(kind, k -> new int[2]);
      c[1]++;
      if (problem == null) {
        c[0]++;
        if (gaps.contains(id)) {
          failures.add(id + " passes but is listed in KNOWN-GAPS.md");
        }
      } else if (gaps.contains(id)) {
        gapsThatFailed.add(id + ": " + problem);
      } else {
        failures.add(id + " " + lines.get(i) + "\n    -> " + problem);
      }
    }
    counts.forEach((kind, c) -> System.out.printf("dockerignore conformance %-15s %d/%d passed%n",
        kind, c[0], c[1]));
    System.out.println("dockerignore known gaps listed in testdata/KNOWN-GAPS.md: "
        + (gaps.isEmpty() ? "none" : String.join(", ", gaps)));
    gapsThatFailed.forEach(g -> System.out.println("known gap (see testdata/KNOWN-GAPS.md): " + g));
    assertThat(counts.values().stream().mapToInt(c -> c[1]).sum()).isEqualTo(167);
    assertThat(failures).isEmpty();
  }

  private static String check(String kind, JsonNode r) {
    try {
      switch (kind) {
        case "match":
          return checkMatch(r);
        case "newMatcher":
          return checkNewMatcher(r);
        case "compile":
          return checkCompile(r);
        case "readIgnoreFile":
          return checkRead(r);
        default:
          return "unknown record kind " + kind;
      }
    } catch (RuntimeException e) {
      return "unexpected " + e;
    }
  }

  private static String checkMatch(JsonNode r) {
    boolean expectError = r.has("expectError");
    try {
      boolean ignored = IgnoreMatcher.of(strings(r.get("patterns"))).matches(r.get("path").asText());
      if (expectError) {
        return "expected an error, got " + ignored;
      }
      boolean expected = r.get("expected").asBoolean();
      return ignored == expected ? null : "expected " + expected + ", got " + ignored;
    } catch (IgnorePatternException e) {
      if (!expectError) {
        return "unexpected error " + e.getMessage();
      }
      String want = r.get("expectError").asText();
      if (!want.equals("bad-pattern") && !e.getMessage().equals(want)) {
        return "error message " + e.getMessage() + " is not " + want;
      }
      return null;
    }
  }

  private static String checkNewMatcher(JsonNode r) {
    IgnoreMatcher m;
    try {
      m = IgnoreMatcher.of(strings(r.get("patterns")));
    } catch (IgnorePatternException e) {
      if (r.has("expectError") && e.getMessage().equals(r.get("expectError").asText())) {
        return null;
      }
      return "unexpected error " + e.getMessage();
    }
    if (r.has("expectError")) {
      return "expected error " + r.get("expectError");
    }
    if (r.has("expectedPatternCount") && m.patterns().size() != r.get("expectedPatternCount").asInt()) {
      return "pattern count " + m.patterns().size();
    }
    if (r.has("expectedExclusions") && m.hasExclusions() != r.get("expectedExclusions").asBoolean()) {
      return "exclusions " + m.hasExclusions();
    }
    if (r.has("expectMatchError")) {
      int calls = r.path("repeatCallAlsoErrors").asBoolean() ? 3 : 1;
      for (int i = 0; i < calls; i++) {
        try {
          m.matches(r.get("matchPath").asText());
          return "call " + (i + 1) + " did not fail";
        } catch (IgnorePatternException expected) {
          // the pattern cannot be compiled, on every call
        }
      }
    }
    return null;
  }

  private static String checkCompile(JsonNode r) {
    IgnorePattern p = IgnorePattern.parse(r.get("pattern").asText());
    String kind = p.kind().name().toLowerCase();
    if (!kind.equals(r.get("matchType").asText())) {
      return "kind " + kind;
    }
    if (r.has("regexp") && !p.regexp().orElse("").equals(r.get("regexp").asText())) {
      return "regexp " + p.regexp().orElse("(none)");
    }
    return null;
  }

  private static String checkRead(JsonNode r) {
    List<String> got = r.get("input").isNull()
        ? IgnoreFile.none().patterns() : IgnoreFile.parse(r.get("input").asText());
    List<String> want = strings(r.get("expected"));
    return got.equals(want) ? null : "patterns " + got;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The record ids listed in the {@code ## ignore} section of testdata/KNOWN-GAPS.md. */
  static Set<String> knownGaps() throws IOException {
    Path file = TestPaths.repo().resolve("testdata/KNOWN-GAPS.md");
    Set<String> ids = new TreeSet<>();
    if (!Files.exists(file)) {
      return ids;
    }
    boolean inSection = false;
    Pattern id = Pattern.compile("^- `(" + Pattern.quote(FILE) + ":\\d+)`");
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        inSection = line.trim().equals("## ignore");
      } else if (inSection) {
        Matcher m = id.matcher(line);
        if (m.find()) {
          ids.add(m.group(1));
        }
      }
    }
    return ids;
  }
}
