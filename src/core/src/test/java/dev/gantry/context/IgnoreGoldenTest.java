package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases in {@code testdata/ignore/<case>/}: {@code tree.txt} (see {@link ContextTrees}),
 * {@code dockerignore} (the context's {@code .dockerignore}), optionally {@code dockerfile} (the
 * Dockerfile's path in the context) and {@code specific.dockerignore} (written next to it as
 * {@code <Dockerfile>.dockerignore}), and {@code expected.txt}: the walk's entries in order.
 * Run with {@code -Dgantry.updateGoldens=true} to rewrite the expected files.
 */
class IgnoreGoldenTest {
  @TempDir Path temp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(TestPaths.testdata("ignore"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void walkListsExactlyTheExpectedEntries(String name) throws IOException {
    Path dir = TestPaths.testdata("ignore").resolve(name);
    Path context = Files.createDirectory(temp.resolve("context"));
    ContextTrees.create(context, Files.readAllLines(dir.resolve("tree.txt")));
    copyIfPresent(dir.resolve("dockerignore"), context.resolve(IgnoreFile.NAME));
    Path dockerfile = null;
    if (Files.exists(dir.resolve("dockerfile"))) {
      dockerfile = context.resolve(Files.readString(dir.resolve("dockerfile")).trim());
      copyIfPresent(dir.resolve("specific.dockerignore"),
          dockerfile.resolveSibling(dockerfile.getFileName() + IgnoreFile.NAME));
    }

    String actual = ContextTrees.describe(BuildContext.open(context, dockerfile).entries());

    Path expectedFile = dir.resolve("expected.txt");
    if (Boolean.getBoolean("gantry.updateGoldens") || !Files.exists(expectedFile)) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  private static void copyIfPresent(Path from, Path to) throws IOException {
    if (Files.exists(from)) {
      Files.createDirectories(to.getParent());
      Files.copy(from, to);
    }
  }
}
