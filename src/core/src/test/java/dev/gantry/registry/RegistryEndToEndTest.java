package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.Output;
import dev.gantry.oracle.ImageSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pulls a base from and pushes the built image to a real docker-registry (anonymous, htpasswd and
 * token auth), then checks the pushed image with skopeo: same digests, same content.
 */
class RegistryEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(TestRegistry.Mode.class)
  void buildsFromARegistryBaseAndPushesUnderTwoTags(TestRegistry.Mode mode, @TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), mode)) {
      Fixtures.seed(registry, base, "base:1");
      String host = registry.host();
      Path ctx = Fixtures.appContext(tmp.resolve("app"), host + "/base:1");
      Fixtures.Messages messages = new Fixtures.Messages();
      BuildRequest request = Fixtures.login(BuildRequest.builder(ctx), registry).storeDirectory(tmp.resolve("store"))
          .tag(host + "/app:1").tag(host + "/app:2").push(true).output(new Output.OciLayout(tmp.resolve("built")))
          .listener(messages).build();

      BuildResult result = new Gantry().build(request);

      // the base layer is mounted from base, the new layer and the config are uploaded, once per repository
      assertThat(messages.lines).contains("blobs: 2 uploaded, 1 mounted, 0 already present");
      for (String tag : new String[] {"1", "2"}) {
        JsonNode inspect = JSON.readTree(Skopeo.run(Skopeo.with("inspect", registry.skopeoCreds("--creds"),
            "--tls-verify=false", "docker://" + host + "/app:" + tag)));
        assertThat(inspect.path("Digest").asText()).isEqualTo(result.manifestDigest().toString());
        assertThat(inspect.path("Env").toString()).contains("GREETING=hi");
      }
      Path pulled = tmp.resolve("pulled");
      Skopeo.run(Skopeo.with("copy", registry.skopeoCreds("--src-creds"), "--src-tls-verify=false",
          "docker://" + host + "/app:2", "oci:" + pulled + ":2"));
      JsonNode index = JSON.readTree(Files.readString(pulled.resolve("index.json")));
      assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(result.manifestDigest().toString());
      ImageSnapshot expected = ImageSnapshot.read(tmp.resolve("built"), "2");
      ImageSnapshot actual = ImageSnapshot.read(pulled, "2");
      assertThat(actual).isEqualTo(expected);
      assertThat(actual.files()).containsKeys("hello.txt", "bin/busybox");

      // the base layer pulled from the registry is the one skopeo pushed, byte for byte
      byte[] baseManifest = Files.readAllBytes(blob(base, JSON.readTree(Files.readString(base.resolve("index.json")))
          .path("manifests").get(0).path("digest").asText()));
      String baseLayer = JSON.readTree(baseManifest).path("layers").get(0).path("digest").asText();
      assertThat(Files.exists(blob(pulled, baseLayer))).isTrue();
    }
  }

  @Test
  void aRegistryOutputPushesToItsNameNotToTheTagsBesideAFileOutput(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      Fixtures.seed(registry, base, "base:1");
      String host = registry.host();
      Path ctx = Fixtures.appContext(tmp.resolve("app"), host + "/base:1");
      Fixtures.Messages messages = new Fixtures.Messages();
      BuildResult result = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .tag(host + "/app:1").output(Output.parse("type=registry,name=" + host + "/other:3"))
          .output(new Output.OciLayout(tmp.resolve("built"))).listener(messages).build());

      assertThat(messages.lines).contains("pushed " + host + "/other:3@" + result.manifestDigest(),
          "blobs: 2 uploaded, 1 mounted, 0 already present");
      assertThat(messages.lines).noneMatch(l -> l.startsWith("pushed " + host + "/app:1"));
      JsonNode inspect = JSON.readTree(Skopeo.run(Skopeo.with("inspect", new String[0], "--tls-verify=false",
          "docker://" + host + "/other:3")));
      assertThat(inspect.path("Digest").asText()).isEqualTo(result.manifestDigest().toString());
      assertThat(Files.exists(tmp.resolve("built").resolve("index.json"))).isTrue();
    }
  }

  @Test
  void aResolvedBaseIsNotAskedForAgainUnlessPulling(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    Path store = tmp.resolve("store");
    Path ctx;
    BuildResult first;
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      Fixtures.seed(registry, base, "base:1");
      ctx = Fixtures.appContext(tmp.resolve("app"), registry.host() + "/base:1");
      first = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).build());
    }
    // the registry is gone: the store knows the manifest, config and layers
    BuildResult again = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).build());
    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(again.cachedSteps()).isEqualTo(again.steps().size());

    assertThatThrownBy(() -> new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).pull(true).build()))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("Dockerfile:1:1: cannot pull")
        .hasMessageContaining("get manifest 1 of 127.0.0.1:")
        .hasMessageContaining("/base failed: no response");
  }

  @Test
  void aDockerImageBuildContextIsPulledForCopyFrom(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      Fixtures.seed(registry, base, "tools:1");
      Path ctx = Files.createDirectories(tmp.resolve("ctx"));
      Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY --from=tools /bin/busybox /bb\n");
      Path out = tmp.resolve("out");
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .buildContext("tools", "docker-image://" + registry.host() + "/tools:1").tag("x:1")
          .output(new Output.OciLayout(out)).build());
      ImageSnapshot image = ImageSnapshot.read(out, "1");
      assertThat(image.files()).containsOnlyKeys("bb");
      assertThat(image.files().get("bb")).isEqualTo(ImageSnapshot.read(base, "1").files().get("bin/busybox"));
    }
  }

  @Test
  void wrongCredentialsFailWithALoginHintAndNoSecret(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    for (TestRegistry.Mode mode : new TestRegistry.Mode[] {TestRegistry.Mode.HTPASSWD, TestRegistry.Mode.TOKEN}) {
      try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry-" + mode), mode)) {
        Fixtures.seed(registry, base, "base:1");
        Path ctx = Fixtures.appContext(tmp.resolve("app"), registry.host() + "/base:1");
        String wrong = "not-the-Password-42";
        BuildRequest request = BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store-" + mode))
            .registryCredentials(registry.host(), TestRegistry.USER, wrong).build();
        assertThat(request.toString() + request.registryCredentials()).doesNotContain(wrong);
        DockerfileException e = org.junit.jupiter.api.Assertions.assertThrows(DockerfileException.class,
            () -> new Gantry().build(request));
        assertThat(e.getMessage()).contains("HTTP 401").contains(registry.host() + "/base").contains("1 attempt");
        assertThat(e.diagnostics().get(0).hint()).contains("docker login " + registry.host());
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(wrong);
      }
    }
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }
}
