package dev.gantry.parse;

import dev.gantry.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Dockerfiles to mutate or time: our goldens plus, when present, BuildKit's conformance files. */
final class ParseCorpus {
  private ParseCorpus() {}

  static List<byte[]> dockerfiles() {
    List<byte[]> out = new ArrayList<>();
    collect(TestPaths.testdata("parse"), out);
    collect(TestPaths.testdata("parse-errors"), out);
    Path conformance = TestPaths.conformanceOrNull();
    if (conformance != null) {
      collect(conformance.resolve("parser"), out);
    }
    return out;
  }

  private static void collect(Path root, List<byte[]> out) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(f -> f.getFileName().toString().equals("Dockerfile")).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Dockerfile of {@code n} mixed instructions: continuations, heredocs, JSON and shell forms. */
  static String generated(int n) {
    StringBuilder sb = new StringBuilder("# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS base\n");
    for (int i = 0; i < n; i++) {
      switch (i % 8) {
        case 0 -> sb.append("RUN apk add --no-cache \\\n    curl \\\n    git  # step ").append(i).append('\n');
        case 1 -> sb.append("COPY --chown=app:app [\"src/").append(i).append("\", \"/app/\"]\n");
        case 2 -> sb.append("RUN <<EOF\necho ").append(i).append("\nset -e\nEOF\n");
        case 3 -> sb.append("ENV KEY_").append(i).append("=\"value ").append(i).append("\" OTHER=x\n");
        case 4 -> sb.append("# comment ").append(i).append("\nLABEL org.example.n=\"").append(i).append("\"\n");
        case 5 -> sb.append("CMD [\"sh\", \"-c\", \"echo ").append(i).append("\"]\n");
        case 6 -> sb.append("HEALTHCHECK --interval=5s CMD curl -f http://localhost/").append(i).append('\n');
        default -> sb.append("ARG V").append(i).append("=1\nWORKDIR /w/").append(i).append('\n');
      }
    }
    return sb.toString();
  }
}
