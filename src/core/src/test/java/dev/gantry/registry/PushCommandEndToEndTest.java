package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import dev.gantry.oracle.ImageSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Gantry#push}: an image already built (in the local store under its tag, or in an OCI
 * layout) pushed to a real docker-registry without building, then checked with skopeo.
 */
class PushCommandEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PushRequest.Builder login(PushRequest.Builder b, TestRegistry r) {
    return r.needsLogin() ? b.registryCredentials(r.host(), TestRegistry.USER, TestRegistry.PASSWORD) : b;
  }

  private static String remoteDigest(TestRegistry registry, String ref) throws Exception {
    return JSON.readTree(Skopeo.run(Skopeo.with("inspect", registry.skopeoCreds("--creds"), "--tls-verify=false",
        "docker://" + ref))).path("Digest").asText();
  }

  @ParameterizedTest
  @EnumSource(value = TestRegistry.Mode.class, names = {"ANONYMOUS", "HTPASSWD"})
  void pushesAStoredImageAndAnOciLayoutWithoutBuilding(TestRegistry.Mode mode, @TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("hello.txt"), "pushed without a build\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nENV A=1\n");
    Path store = tmp.resolve("store");
    Path layout = tmp.resolve("layout");
    BuildResult built = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).tag("app:1")
        .output(new Output.OciLayout(layout)).build());
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), mode)) {
      String host = registry.host();
      Fixtures.Messages messages = new Fixtures.Messages();

      PushResult first = new Gantry().push(login(PushRequest.builder("app:1"), registry).storeDirectory(store)
          .destination(host + "/app:1").destination(host + "/app:latest").listener(messages).build());

      assertThat(first.manifestDigest()).isEqualTo(built.manifestDigest());
      assertThat(first.uploaded()).isEqualTo(2);
      assertThat(messages.lines).contains("blobs: 2 uploaded, 0 mounted, 0 already present");
      assertThat(remoteDigest(registry, host + "/app:1")).isEqualTo(built.manifestDigest().toString());
      assertThat(remoteDigest(registry, host + "/app:latest")).isEqualTo(built.manifestDigest().toString());

      PushResult again = new Gantry().push(login(PushRequest.builder("app:1"), registry).storeDirectory(store)
          .destination(host + "/app:1").build());
      assertThat(again.uploaded()).isZero();
      assertThat(again.skipped()).isEqualTo(2);

      PushResult fromLayout = new Gantry().push(login(PushRequest.builder("oci-layout://" + layout + ":1"),
          registry).storeDirectory(tmp.resolve("empty-store")).destination(host + "/copy:1").build());
      assertThat(fromLayout.manifestDigest()).isEqualTo(built.manifestDigest());
      Path pulled = tmp.resolve("pulled");
      Skopeo.run(Skopeo.with("copy", registry.skopeoCreds("--src-creds"), "--src-tls-verify=false",
          "docker://" + host + "/copy:1", "oci:" + pulled + ":1"));
      assertThat(ImageSnapshot.read(pulled, "1")).isEqualTo(ImageSnapshot.read(layout, "1"));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestRegistry.Mode.class, names = "ANONYMOUS")
  void namesWhatIsMissing(TestRegistry.Mode mode, @TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), mode)) {
      assertThatThrownBy(() -> new Gantry().push(PushRequest.builder("nothing:1").storeDirectory(tmp.resolve("s"))
          .destination(registry.host() + "/x:1").build()))
          .isInstanceOf(BuildException.class)
          .hasMessageContaining("no image tagged \"nothing:1\" in the local store")
          .satisfies(e -> assertThat(((BuildException) e).hint()).contains("gantry build -t nothing:1"));
      assertThatThrownBy(() -> new Gantry().push(PushRequest.builder("oci-layout://" + tmp.resolve("none")).build()))
          .isInstanceOf(BuildException.class).hasMessageContaining("no destination");
      assertThatThrownBy(() -> new Gantry().push(PushRequest.builder("oci-layout://" + tmp.resolve("none"))
          .destination(registry.host() + "/x:1").build()))
          .isInstanceOf(BuildException.class).hasMessageContaining("cannot read");
    }
  }
}
