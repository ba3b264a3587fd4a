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
import org.junit.jupiter.api.io.TempDir;

/**
 * Enforces the package graph of docs/ARCHITECTURE.md: every reference between Gantry packages in
 * code (an import or a fully qualified name written inline; comments and strings do not count)
 * must be an arrow listed there, and the graph has no cycles. The generated parser stays in its
 * package the same way.
 */
class PackageGraphTest {

  /** The allowed arrows: package -> packages it may import (sub-packages count as their parent). */
  static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("api", Set.of("ast", "model", "parse", "expand", "context", "plan", "oci", "layer", "store",
          "registry", "exec", "builder")),
      Map.entry("ast", Set.of()),
      Map.entry("model", Set.of("ast", "oci")),
      Map.entry("parse", Set.of("ast", "expand")),
      Map.entry("expand", Set.of()),
      Map.entry("context", Set.of("oci")),
      Map.entry("plan", Set.of("ast", "expand", "context", "oci")),
      Map.entry("oci", Set.of()),
      Map.entry("layer", Set.of("oci")),
      Map.entry("store", Set.of("oci", "layer")),
      Map.entry("registry", Set.of("oci")),
      Map.entry("exec", Set.of("oci", "layer", "store")),
      Map.entry("builder", Set.of("ast", "model", "parse", "expand", "context", "plan", "oci", "layer", "store",
          "registry", "exec")));

  /** A reference to a Gantry package in code: an import or a fully qualified name written inline. */
  private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])dev\\.gantry\\.([a-z]+)\\b");
  private static final Path MAIN = Path.of("src/main/java/dev/gantry");

  /** A reference from a file of package {@code from} to package {@code to}, at {@code where} (file:line). */
  record Reference(String from, String to, String where) {}

  @Test
  void everyImportIsAnAllowedArrowAndTheGraphHasNoCycle() throws IOException {
    List<Reference> refs = references(MAIN);
    Map<String, Set<String>> actual = scan(MAIN);
    assertThat(actual).as("packages found").isNotEmpty();
    List<String> violations = new ArrayList<>();
    for (String from : actual.keySet()) {
      if (!ALLOWED.containsKey(from)) {
        violations.add("package dev.gantry." + from + " is not in ARCHITECTURE.md");
      }
    }
    for (Reference r : refs) {
      Set<String> allowed = ALLOWED.get(r.from());
      if (allowed != null && !allowed.contains(r.to())) {
        violations.add(r.where() + ": dev.gantry." + r.from() + " -> dev.gantry." + r.to()
            + " is not an allowed arrow");
      }
    }
    assertThat(violations).isEmpty();
    assertThat(findCycle(actual)).as("a cycle in the package graph").isEmpty();
  }

  @Test
  void inlineQualifiedNamesCountButCommentsAndStringsDoNot(@TempDir Path root) throws IOException {
    Path file = Files.createDirectories(root.resolve("plan")).resolve("X.java");
    Files.writeString(file, """
        package dev.gantry.plan;
        // dev.gantry.store.Store in a comment
        /* dev.gantry.exec.RunExecutor in a block comment */
        class X {
          String s = "dev.gantry.layer.Tar in a string";
          char c = '"';
          dev.gantry.store.Store store;
          Object o = dev.gantry.registry.ImageReference.of("x");
          String t = \"""
              dev.gantry.builder.Builder in a text block
              \""";
        }
        """);
    assertThat(references(root)).containsExactly(
        new Reference("plan", "store", "plan/X.java:7"),
        new Reference("plan", "registry", "plan/X.java:8"));
  }

  @Test
  void theAllowedGraphItselfHasNoCycle() {
    assertThat(findCycle(ALLOWED)).isEmpty();
  }

  @Test
  void generatedParserStaysInsideParse() throws IOException {
    assertThat(codeMentions(MAIN, "dev.gantry.parse.antlr", "parse")).isEmpty();
  }

  /** Where (file:line) the code, not comments or strings, of files outside package {@code home} names {@code prefix}. */
  static List<String> codeMentions(Path root, String prefix, String home) throws IOException {
    List<String> found = new ArrayList<>();
    Pattern p = Pattern.compile("(?<![\\w.])" + Pattern.quote(prefix) + "\\b");
    for (Path file : javaFiles(root)) {
      if (root.relativize(file).getName(0).toString().equals(home)) {
        continue;
      }
      String code = JavaSource.codeOnly(read(file));
      Matcher m = p.matcher(code);
      while (m.find()) {
        found.add(root.relativize(file) + ":" + JavaSource.line(code, m.start()));
      }
    }
    return found;
  }

  /** Every reference between different Gantry packages in the code under {@code root}. */
  static List<Reference> references(Path root) throws IOException {
    List<Reference> refs = new ArrayList<>();
    for (Path file : javaFiles(root)) {
      String pkg = root.relativize(file).getName(0).toString();
      if (pkg.endsWith(".java")) {
        continue;
      }
      String code = JavaSource.codeOnly(read(file));
      Matcher m = REFERENCE.matcher(code);
      while (m.find()) {
        if (!m.group(1).equals(pkg)) {
          refs.add(new Reference(pkg, m.group(1), root.relativize(file) + ":" + JavaSource.line(code, m.start())));
        }
      }
    }
    return refs;
  }

  /** The package graph of {@code refs}: every package that has files, with the packages it references. */
  static Map<String, Set<String>> graph(List<Reference> refs) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (Reference r : refs) {
      graph.computeIfAbsent(r.from(), k -> new TreeSet<>()).add(r.to());
    }
    return graph;
  }

  /** The package graph of the code under {@code root}, packages without references included. */
  static Map<String, Set<String>> scan(Path root) throws IOException {
    Map<String, Set<String>> graph = graph(references(root));
    for (Path file : javaFiles(root)) {
      String pkg = root.relativize(file).getName(0).toString();
      if (!pkg.endsWith(".java")) {
        graph.computeIfAbsent(pkg, k -> new TreeSet<>());
      }
    }
    return graph;
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
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
