package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.Isolation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the goals in-process, as Maven would after injecting their parameters. */
class MojoBuildTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path context;
  private final RecordingLog log = new RecordingLog(false);

  @BeforeEach
  void context() throws IOException {
    context = Files.createDirectories(dir.resolve("project"));
    Files.writeString(context.resolve("app.txt"), "hello\n");
    dockerfile("FROM scratch\nARG VERSION\nLABEL version=$VERSION\nCOPY app.txt /app/\n");
  }

  @Test
  void buildWritesAnOciLayoutWithTagsLabelsArgsAndTheTimestamp() throws Exception {
    BuildMojo mojo = configure(new BuildMojo());
    mojo.outputDirectory = dir.resolve("out").toFile();
    mojo.image = "demo/app:1";
    mojo.tags = List.of("latest");
    mojo.buildArgs = Map.of("VERSION", "2.0");
    mojo.labels = Map.of("team", "core", "tier", "pom");
    mojo.userProperties = new Properties();
    mojo.userProperties.setProperty("gantry.labels", "tier=cli,extra=1");
    mojo.sourceDateEpoch = "2024-01-01T00:00:00Z";
    mojo.execute();

    JsonNode index = JSON.readTree(dir.resolve("out/index.json").toFile());
    List<String> refs = new ArrayList<>();
    index.get("manifests").forEach(m -> refs.add(m.path("annotations").path("org.opencontainers.image.ref.name").asText()));
    assertThat(refs).containsExactlyInAnyOrder("1", "latest");
    JsonNode config = blob(dir.resolve("out"), blob(dir.resolve("out"), index.get("manifests").get(0)).get("config"));
    assertThat(config.at("/config/Labels/version").asText()).isEqualTo("2.0");
    assertThat(config.at("/config/Labels/team").asText()).isEqualTo("core");
    assertThat(config.at("/config/Labels/tier").asText()).isEqualTo("cli");
    assertThat(config.at("/config/Labels/extra").asText()).isEqualTo("1");
    assertThat(config.get("created").asText()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(log.lines()).hasSize(5);
    assertThat(log.lines().subList(0, 3)).satisfiesExactly(
        l -> assertThat(l).matches("INFO \\[stage-0 1/3\\] ARG VERSION=2\\.0 DONE \\d+\\.\\ds"),
        l -> assertThat(l).matches("INFO \\[stage-0 2/3\\] LABEL version=2\\.0 DONE \\d+\\.\\ds"),
        l -> assertThat(l).matches("INFO \\[stage-0 3/3\\] COPY app.txt /app/ DONE \\d+\\.\\ds"));
    assertThat(log.lines().get(3)).startsWith("INFO image sha256:").contains("(demo/app:1, demo/app:latest) written to ");
    assertThat(log.lines().get(4)).startsWith("INFO 3 steps, 0 cached, ");
  }

  @Test
  void aSecondBuildIsCachedAndGivesTheSameImage() throws Exception {
    BuildMojo first = configure(new BuildMojo());
    first.outputDirectory = dir.resolve("one").toFile();
    first.execute();
    List<String> firstLines = log.lines();
    log.lines.clear();
    BuildMojo second = configure(new BuildMojo());
    second.outputDirectory = dir.resolve("two").toFile();
    second.execute();

    assertThat(String.join("\n", firstLines)).contains("COPY app.txt /app/ DONE ");
    assertThat(log.lines()).anyMatch(l -> l.endsWith("COPY app.txt /app/ CACHED"));
    assertThat(imageLine(log.lines())).isEqualTo(imageLine(firstLines).replace("/one", "/two"));
    assertThat(Files.readString(dir.resolve("two/index.json"))).isEqualTo(Files.readString(dir.resolve("one/index.json")));
  }

  @Test
  void anOciLayoutBuiltBeforeIsABaseThroughBuildContexts() throws Exception {
    BuildMojo base = configure(new BuildMojo());
    base.outputDirectory = dir.resolve("base").toFile();
    base.image = "base:1";
    base.execute();
    dockerfile("FROM base\nCOPY app.txt /more/\n");
    BuildMojo app = configure(new BuildMojo());
    app.outputDirectory = dir.resolve("app").toFile();
    app.userProperties = new Properties();
    app.userProperties.setProperty("gantry.buildContexts", "base=oci-layout://" + dir.resolve("base") + ":1");
    app.execute();

    JsonNode index = JSON.readTree(dir.resolve("app/index.json").toFile());
    JsonNode manifest = blob(dir.resolve("app"), index.get("manifests").get(0));
    assertThat(manifest.get("layers")).hasSize(2);
    assertThat(log.lines()).anyMatch(l -> l.matches("INFO \\[stage-0 1/1\\] COPY app.txt /more/ DONE .*"));
  }

  @Test
  void buildTarWritesADockerArchiveWithTheTags() throws Exception {
    BuildTarMojo mojo = configure(new BuildTarMojo());
    mojo.outputFile = dir.resolve("gantry/image.tar").toFile();
    mojo.image = "demo/app:1";
    mojo.execute();

    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(dir.resolve("gantry/image.tar"));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), tar.readAllBytes());
      }
    }
    JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
    assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("demo/app:1");
    assertThat(entries).containsKey(manifest.get(0).get("Config").asText());
  }

  @Test
  void aDockerfileErrorFailsWithItsPositionAndHint() throws Exception {
    dockerfile("FROM scratch\nCOPY onlyone\n");
    BuildMojo mojo = configure(new BuildMojo());
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Dockerfile:2:1: ")
        .hasMessageContaining("COPY");
  }

  @Test
  void aMissingSourceFailsNamingTheStep() throws Exception {
    dockerfile("FROM scratch\nCOPY missing.txt /\n");
    BuildMojo mojo = configure(new BuildMojo());
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Dockerfile:2:1: failed to compute cache key: \"/missing.txt\": not found")
        .hasMessageContaining("  hint: ");
  }

  @Test
  void pushWithoutAnImageFailsBeforeBuildingAnything() throws Exception {
    BuildMojo mojo = configure(new BuildMojo());
    mojo.outputDirectory = dir.resolve("out").toFile();
    mojo.push = true;
    mojo.image = null;
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("push=true needs an image reference");
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void isolationReachesTheRequest() throws Exception {
    BuildMojo mojo = configure(new BuildMojo());
    assertThat(mojo.request().isolation()).isEqualTo(Isolation.AUTO);
    mojo.isolation = " chroot ";
    assertThat(mojo.request().isolation()).isEqualTo(Isolation.CHROOT);
    mojo.isolation = "vm";
    assertThatThrownBy(mojo::request).isInstanceOf(MojoFailureException.class)
        .hasMessage("--isolation must be auto, root, rootless or chroot, not 'vm'");
  }

  @Test
  void rewriteTimestampReachesTheRequest() throws Exception {
    BuildMojo mojo = configure(new BuildMojo());
    assertThat(mojo.request().rewriteTimestamp()).isFalse();
    mojo.rewriteTimestamp = true;
    assertThat(mojo.request().rewriteTimestamp()).isTrue();
  }

  @Test
  void skipBuildsNothing() throws Exception {
    BuildMojo mojo = configure(new BuildMojo());
    mojo.dockerfile = dir.resolve("no-such-Dockerfile").toFile();
    mojo.outputDirectory = dir.resolve("out").toFile();
    mojo.skip = true;
    mojo.execute();
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(log.lines()).containsExactly("INFO gantry: skipped (gantry.skip=true)");
  }

  @Test
  void badParametersFailTheBuild() {
    BuildMojo mojo = configure(new BuildMojo());
    mojo.sourceDateEpoch = "2024-01-01";
    assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("sourceDateEpoch");
    BuildMojo tagged = configure(new BuildMojo());
    tagged.tags = List.of("latest");
    assertThatThrownBy(tagged::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("gantry.image");
  }

  @Test
  void pruneRemovesUntaggedDataAndKeepsTaggedImages() throws Exception {
    BuildMojo tagged = configure(new BuildMojo());
    tagged.image = "demo/app:1";
    tagged.execute();
    dockerfile("FROM scratch\nCOPY app.txt /other/\n");
    configure(new BuildMojo()).execute();
    log.lines.clear();

    PruneMojo prune = new PruneMojo();
    prune.setLog(log);
    prune.cacheDirectory = dir.resolve("store").toFile();
    prune.all = true;
    prune.until = "0s";
    prune.execute();

    assertThat(log.lines()).singleElement().asString()
        .matches("INFO removed [1-9]\\d* blobs, [1-9]\\d* cache records, 0 directories: [1-9]\\d* bytes freed");
    assertThat(new dev.gantry.api.Gantry().images(dir.resolve("store"))).extracting(dev.gantry.api.ImageSummary::tag)
        .containsExactly("demo/app:1");
    prune.keepStorage = "lots";
    assertThatThrownBy(prune::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("not a size");
    BuildMojo bounded = configure(new BuildMojo());
    bounded.storeMax = "big";
    assertThatThrownBy(bounded::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("not a size");
  }

  private <M extends AbstractGantryMojo> M configure(M mojo) {
    mojo.setLog(log);
    mojo.dockerfile = context.resolve("Dockerfile").toFile();
    mojo.contextDirectory = context.toFile();
    mojo.cacheDirectory = dir.resolve("store").toFile();
    if (mojo instanceof BuildMojo b) {
      b.outputDirectory = dir.resolve("image").toFile();
    }
    return mojo;
  }

  private void dockerfile(String text) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), text, StandardCharsets.UTF_8);
  }

  private static JsonNode blob(Path layout, JsonNode descriptor) throws IOException {
    String digest = descriptor.get("digest").asText();
    return JSON.readTree(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length())).toFile());
  }

  private static String imageLine(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("INFO image sha256:")).findFirst().orElseThrow();
  }
}
