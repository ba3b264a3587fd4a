package dev.gantry.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.TestPaths;
import dev.gantry.api.Gantry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds every case of {@code testdata/run} (Dockerfiles with RUN) with Gantry and with buildah and
 * compares config and flattened filesystem; cases with an {@code expected.snapshot} (features
 * buildah 1.28 lacks, such as heredocs) are compared with that file instead. Buildah's runtime
 * mount-point stubs are dropped from its image (see testdata/run/README.md).
 */
class RunDifferentialTest {
  static final List<String> STUBS = List.of("dev", "proc", "sys", "run", "etc/hosts", "etc/resolv.conf", "etc/hostname");
  static final String EMPTY_SHA = "e3b0c44298fc1c14";
  @TempDir static Path shared;
  static Path rootfs;

  @BeforeAll
  static void tools() throws IOException {
    Tools.requireContainers();
    rootfs = BusyboxRootfs.write(shared.resolve("rootfs.tar"));
  }

  static Stream<Path> cases() throws IOException {
    return CorpusCase.list(TestPaths.testdata("run")).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameImageAsBuildah(Path source, @TempDir Path work) throws Exception {
    CorpusCase c = CorpusCase.prepare(source, work, rootfs);
    Path gantryOut = c.buildWithGantry(work, work.resolve("gantry-oci"));
    ImageSnapshot ours = BuildahDifferentialTest.normalize(ImageSnapshot.read(gantryOut, null));
    Path expected = source.resolve("expected.snapshot");
    if (Files.exists(expected)) {
      if (Boolean.getBoolean("gantry.rewriteSnapshots")) {
        Files.writeString(expected, ours.render(), StandardCharsets.UTF_8);
      }
      assertThat(ours.render()).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
      return;
    }
    Tools.require(Buildah.available(), "buildah is not installed (the test command installs it)");
    Path buildahOut = new Buildah(work.resolve("buildah")).build(c.context(), null, c.buildArgs(), c.target());
    ImageSnapshot theirs = BuildahDifferentialTest.normalize(ImageSnapshot.read(buildahOut, "oracle"));
    theirs = withoutStubs(theirs, ours);
    theirs = BuildahDifferentialTest.applyKnownDifferences(theirs, source.resolve("buildah.diff"));
    assertThat(ours.render()).isEqualTo(theirs.render());
  }

  /** Drops buildah's runtime stubs (empty dirs and empty files at mount points) that our image does not have. */
  static ImageSnapshot withoutStubs(ImageSnapshot theirs, ImageSnapshot ours) {
    Map<String, String> files = new TreeMap<>(theirs.files());
    for (String s : STUBS) {
      String v = files.get(s);
      if (v == null || ours.files().containsKey(s)) {
        continue;
      }
      boolean emptyDir = v.startsWith("dir") && files.keySet().stream().noneMatch(k -> k.startsWith(s + "/"));
      boolean emptyFile = v.startsWith("file") && v.endsWith(EMPTY_SHA);
      if (emptyDir || emptyFile) {
        files.remove(s);
      }
    }
    return new ImageSnapshot(theirs.config(), files);
  }
}
