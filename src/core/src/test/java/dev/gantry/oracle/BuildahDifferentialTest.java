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
 * Builds every case of {@code testdata/build} with Gantry and with buildah, and compares the image
 * config fields a Dockerfile controls and the flattened filesystem. Where buildah 1.28 is known to
 * differ from BuildKit, the case's {@code buildah.diff} states BuildKit's value for that path or
 * config field (one {@code KEY<TAB>VALUE} line each, {@code -} for "absent"), and Gantry must produce it.
 */
class BuildahDifferentialTest {
  @TempDir static Path shared;
  static Path rootfs;

  @BeforeAll
  static void tools() throws IOException {
    Tools.require(Buildah.available(), "buildah is not installed (the test command installs it)");
    Tools.require(BusyboxRootfs.available(), "busybox-static is not installed (the test command installs it)");
    rootfs = BusyboxRootfs.write(shared.resolve("rootfs.tar"));
  }

  static Stream<Path> cases() throws IOException {
    return CorpusCase.list(TestPaths.testdata("build")).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameImageAsBuildah(Path source, @TempDir Path work) throws Exception {
    CorpusCase c = CorpusCase.prepare(source, work, rootfs);
    Path gantryOut = c.buildWithGantry(work, work.resolve("gantry-oci"));
    Path buildahOut = new Buildah(work.resolve("buildah")).build(c.context(), null, c.buildArgs(), c.target());

    ImageSnapshot ours = normalize(ImageSnapshot.read(gantryOut, null));
    ImageSnapshot theirs = normalize(ImageSnapshot.read(buildahOut, "oracle"));
    theirs = applyKnownDifferences(theirs, source.resolve("buildah.diff"));
    assertThat(ours.render()).isEqualTo(theirs.render());
  }

  /** Normalisations that are not differences: buildah's version label; WorkingDir "/" is the default. */
  static ImageSnapshot normalize(ImageSnapshot s) {
    Map<String, String> config = new TreeMap<>(s.config());
    String labels = config.get("Labels");
    if (labels != null) {
      labels = labels.replaceAll(",?\"io\\.buildah\\.version\":\"[^\"]*\"", "").replace("{,", "{");
      if (labels.equals("{}")) {
        config.remove("Labels");
      } else {
        config.put("Labels", labels);
      }
    }
    if ("\"/\"".equals(config.get("WorkingDir"))) {
      config.remove("WorkingDir");
    }
    return new ImageSnapshot(config, s.files());
  }

  static ImageSnapshot applyKnownDifferences(ImageSnapshot s, Path diff) throws IOException {
    if (!Files.exists(diff)) {
      return s;
    }
    Map<String, String> config = new TreeMap<>(s.config());
    Map<String, String> files = new TreeMap<>(s.files());
    List<String> lines = Files.readAllLines(diff, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("\t", 2);
      Map<String, String> target = kv[0].startsWith("/") ? files : config;
      String key = kv[0].startsWith("/") ? kv[0].substring(1) : kv[0];
      if (kv[1].equals("-")) {
        target.remove(key);
      } else {
        target.put(key, kv[1]);
      }
    }
    return new ImageSnapshot(config, files);
  }
}
