package dev.gantry.builder;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.oci.Digest;
import dev.gantry.parse.Dockerfiles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed Dockerfiles kept between the builds of one JVM, keyed by file name and content digest: a
 * rebuild of an unchanged Dockerfile does not parse it again. A {@link Dockerfile} is immutable,
 * so builds share it; a Dockerfile with errors is parsed (and reported) every time. Thread-safe.
 */
final class ParsedDockerfiles {
  /** How many parsed Dockerfiles a JVM keeps (the most recently used). */
  static final int KEPT = 32;
  private static final Map<String, Dockerfile> PARSED = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Dockerfile> eldest) {
      return size() > KEPT;
    }
  };

  private ParsedDockerfiles() {}

  /** The Dockerfile {@code content} (named {@code name} in diagnostics), parsed and checked. */
  static Dockerfile parse(String name, byte[] content) throws DockerfileException {
    String key = Digest.sha256(content) + " " + name;
    synchronized (PARSED) {
      Dockerfile known = PARSED.get(key);
      if (known != null) {
        return known;
      }
    }
    Dockerfile df = Dockerfiles.parse(name, content);
    synchronized (PARSED) {
      PARSED.put(key, df);
    }
    return df;
  }
}
