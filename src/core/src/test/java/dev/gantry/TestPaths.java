package dev.gantry;


import dev.gantry.oracle.Tools;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the repository's own golden cases ({@code testdata/}) and BuildKit's conformance
 * data ({@code ../shared/conformance/buildkit}, beside the repository; override with the
 * {@code GANTRY_CONFORMANCE} environment variable).
 */
public final class TestPaths {
  private TestPaths() {}

  /** The repository root (surefire passes it as {@code gantry.repo}). */
  public static Path repo() {
    String p = System.getProperty("gantry.repo");
    if (p != null && Files.isDirectory(Path.of(p, "testdata"))) {
      return Path.of(p).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("testdata"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no testdata/ above " + Path.of("").toAbsolutePath() + ")");
    }
    return dir;
  }

  /** {@code testdata/<sub>} of the repository. */
  public static Path testdata(String sub) {
    return repo().resolve("testdata").resolve(sub);
  }

  /** The BuildKit conformance folder, or null when this clone has none beside it. */
  public static Path conformanceOrNull() {
    String env = System.getenv("GANTRY_CONFORMANCE");
    Path p = env != null ? Path.of(env) : repo().resolveSibling("shared").resolve("conformance/buildkit");
    return Files.isDirectory(p) ? p : null;
  }

  /**
   * The BuildKit conformance folder; skips the calling test (with a message saying so) when it is
   * absent, so a clone without it never passes those tests silently.
   */
  public static Path conformance() {
    Path p = conformanceOrNull();
    if (p == null) {
      System.err.println("SKIPPED: BuildKit conformance data not found beside the repository (../shared/conformance/buildkit)");
    }
    Tools.require(p != null, "BuildKit conformance data not found beside the repository (../shared/conformance/buildkit)");
    return p;
  }
}
