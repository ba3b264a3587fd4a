package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the records of one conformance file, counts passes per kind, prints the counts and fails
 * on any failure that is not a listed known gap (and on a known gap that now passes).
 */
final class ConformanceTally {

  /** One record of a {@code cases/*.jsonl} file. */
  record Case(String id, String kind, JsonNode json) {}

  /** Checks one record; returns normally when it passes. */
  interface Check {
    void run(Case c) throws Exception;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String file;
  private final Map<String, String> knownGaps;
  private final Map<String, int[]> counts = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> gapReport = new ArrayList<>();

  ConformanceTally(String file, Map<String, String> knownGaps) {
    this.file = file;
    this.knownGaps = knownGaps;
  }

  /** The records of the file (ids are {@code file:line}). */
  static List<Case> load(String file) {
    Path p = TestPaths.conformance().resolve("cases").resolve(file);
    try {
      List<String> lines = Files.readAllLines(p);
      List<Case> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          JsonNode n = JSON.readTree(lines.get(i));
          out.add(new Case(file + ":" + (i + 1), n.get("kind").asText(), n));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void run(Case c, Check check) {
    int[] n = counts.computeIfAbsent(c.kind(), k -> new int[2]);
    n[1]++;
    String gap = knownGaps.get(c.id());
    Throwable problem = null;
    try {
      check.run(c);
    } catch (Throwable t) {
      problem = t;
    }
    if (gap != null) {
      gapReport.add("  KNOWN GAP " + c.id() + " (" + c.kind() + "): " + gap);
      if (problem == null) {
        failures.add(c.id() + " is listed as a known gap but passes; remove it from the list");
      }
      return;
    }
    if (problem == null) {
      n[0]++;
    } else {
      failures.add(c.id() + " (" + c.kind() + "): " + problem);
    }
  }

  /** Prints per-kind pass counts and the known gaps; fails on unexpected results. */
  void finish() {
    StringBuilder b = new StringBuilder("BuildKit conformance, " + file + ":\n");
    counts.forEach((k, n) -> b.append(String.format("  %-24s %3d / %3d pass%n", k, n[0], n[1])));
    gapReport.forEach(g -> b.append(g).append('\n'));
    System.out.print(b);
    assertThat(failures).as(b.toString()).isEmpty();
  }

  /** Every known-gap id must be explained in testdata/KNOWN-GAPS.md. */
  static void assertDocumented(Map<String, String> gaps) throws IOException {
    String doc = Files.readString(TestPaths.repo().resolve("testdata/KNOWN-GAPS.md"));
    for (String id : gaps.keySet()) {
      assertThat(doc).as("testdata/KNOWN-GAPS.md lists " + id).contains(id);
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(e -> out.add(e.asText()));
    }
    return out;
  }
}
