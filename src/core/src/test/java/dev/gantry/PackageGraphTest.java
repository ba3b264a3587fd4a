package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the package graph of docs/ARCHITECTURE.md: every import between Gantry packages must be
 * an arrow listed there, and the graph has no cycles.
 */
class PackageGraphTest {

  /** The allowed arrows: package -> packages it may import (sub-packages count as their parent). */
  static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("api", Set.of("ast", "parse", "expand", "context", "plan", "oci", "layer", "store",
          "registry", "exec", "build")),
      Map.entry("ast", Set.of()),
      Map.entry("parse", Set.of("ast")),
      Map.entry("expand", Set.of()),
      Map.entry("context", Set.of("oci")),
      Map.entry("plan", Set.of("ast", "expand", "context", "oci")),
      Map.entry("oci", Set.of()),
      Map.entry("layer", Set.of("oci")),
      Map.entry("store", Set.of("oci", "layer")),
      Map.entry("registry", Set.of("oci", "store")),
      Map.entry("exec", Set.of("oci", "layer", "store")),
      Map.entry("build", Set.of("ast", "parse", "expand", "context", "plan", "oci", "layer", "store",
          "registry", "exec")));

  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?dev\\.gantry\\.([a-z]+)[.;]", Pattern.MULTILINE);

  @Test
  void everyImportIsAnAllowedArrowAndTheGraphHasNoCycle() throws IOException {
    Map<String, Set<String>> actual = scan(Path.of("src/main/java/dev/gantry"));
    assertThat(actual).as("packages found").isNotEmpty();
    List<String> violations = new ArrayList<>();
    actual.forEach((from, tos) -> {
      Set<String> allowed = ALLOWED.get(from);
      if (allowed == null) {
        violations.add("package dev.gantry." + from + " is not in ARCHITECTURE.md");
        return;
      }
      for (String to : tos) {
        if (!to.equals(from) && !allowed.contains(to)) {
          violations.add("dev.gantry." + from + " -> dev.gantry." + to + " is not an allowed arrow");
        }
      }
    });
    assertThat(violations).isEmpty();
    assertThat(findCycle(actual)).as("a cycle in the package graph").isEmpty();
  }

  @Test
  void theAllowedGraphItselfHasNoCycle() {
    assertThat(findCycle(ALLOWED)).isEmpty();
  }

  @Test
  void generatedParserStaysInsideParse() throws IOException {
    Path root = Path.of("src/main/java/dev/gantry");
    try (Stream<Path> files = Files.walk(root)) {
      List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !root.relativize(p).toString().startsWith("parse"))
          .filter(p -> read(p).contains("dev.gantry.parse.antlr"))
          .map(Path::toString).toList();
      assertThat(offenders).isEmpty();
    }
  }

  @Test
  void jibStaysInsideRegistry() throws IOException {
    Path root = Path.of("src/main/java/dev/gantry");
    try (Stream<Path> files = Files.walk(root)) {
      List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !root.relativize(p).toString().startsWith("registry"))
          .filter(p -> read(p).contains("com.google.cloud.tools.jib"))
          .map(Path::toString).toList();
      assertThat(offenders).isEmpty();
    }
  }

  static Map<String, Set<String>> scan(Path root) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(file).getName(0).toString();
        if (pkg.endsWith(".java")) {
          continue;
        }
        Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(read(file));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            deps.add(m.group(1));
          }
        }
      }
    }
    return graph;
  }

  /** Returns the packages of some cycle, or an empty list. */
  static List<String> findCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new TreeMap<>();
    for (String start : graph.keySet()) {
      List<String> path = new ArrayList<>();
      if (visit(start, graph, state, path)) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
      List<String> path) {
    int s = state.getOrDefault(node, 0);
    if (s == 2) {
      return false;
    }
    path.add(node);
    if (s == 1) {
      return true;
    }
    state.put(node, 1);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!next.equals(node) && visit(next, graph, state, path)) {
        return true;
      }
    }
    state.put(node, 2);
    path.remove(path.size() - 1);
    return false;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
