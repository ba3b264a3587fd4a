package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import dev.gantry.oracle.ImageSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed pull or push says, against a real docker-registry: the registry's error read once,
 * and hints that work when run as written (with DIR replaced by a real OCI layout).
 */
class RegistryMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void registryErrorBodiesReadAsCodeMessageAndDetail() {
    assertThat(text("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
        + "\"detail\":{\"Tag\":\"3.9-slim\"}}]}")).isEqualTo("MANIFEST_UNKNOWN: manifest unknown (Tag=3.9-slim)");
    assertThat(text("{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\","
        + "\"detail\":\"sha256:ab\"},{\"code\":\"DENIED\",\"message\":\"\"}]}"))
        .isEqualTo("BLOB_UNKNOWN: blob unknown to registry (sha256:ab); DENIED");
    assertThat(text("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\","
        + "\"detail\":null}]}")).isEqualTo("UNAUTHORIZED: authentication required");
    assertThat(text("<html>404 page not found</html>")).isEmpty();
  }

  private static String remoteDigest(String ref) throws Exception {
    return JSON.readTree(Skopeo.run(Skopeo.with("inspect", new String[0], "--tls-verify=false", "docker://" + ref)))
        .path("Digest").asText();
  }

  private static String text(String body) {
    return RegistryTransport.errorText(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingTagSaysSoOnceAndTheHintedBuildContextBuilds(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = Fixtures.seeded(tmp.resolve("registry"), base, "base:1")) {
      String from = registry.host() + "/base:3.9-slim";
      Path ctx = Fixtures.appContext(tmp.resolve("app"), from);
      DockerfileException e = Assertions.assertThrows(DockerfileException.class, () -> new Gantry()
          .build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store")).build()));
      assertThat(e.getMessage()).contains("Dockerfile:1:1: cannot pull \"" + from + "\"")
          .contains("HTTP 404 (MANIFEST_UNKNOWN: manifest unknown (Tag=3.9-slim)) after 1 attempt");
      assertThat(e.getMessage().split("manifest unknown", -1)).hasSize(2);
      String hint = e.diagnostics().get(0).hint();
      Matcher m = Pattern.compile("--build-context (\\S+)=(\\S+)").matcher(hint);
      assertThat(m.find()).as(hint).isTrue();
      assertThat(m.group(1)).isEqualTo(from);

      // the hinted option, as the CLI reads it (NAME=VALUE split at the first '='), with DIR filled in
      BuildResult built = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .buildContext(m.group(1), m.group(2).replace("DIR", base.toString())).tag("app:1")
          .output(new Output.OciLayout(tmp.resolve("out"))).build());
      assertThat(built.manifestDigest()).isNotNull();
      assertThat(ImageSnapshot.read(tmp.resolve("out"), "1").files()).containsKeys("hello.txt", "bin/busybox");
    }
  }

  @Test
  void pushingAnImageTheStoreLacksHintsAPushToTheSameDestination(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      String dest = registry.host() + "/dest:1";
      BuildException e = Assertions.assertThrows(BuildException.class, () -> new Gantry().push(
          PushRequest.builder("nosuch:1").storeDirectory(tmp.resolve("store")).destination(dest).build()));
      String hint = e.hint();
      assertThat(hint).contains("gantry push oci-layout://DIR " + dest);

      // run the hinted 'gantry push IMAGE DESTINATION...' with DIR filled in
      List<String> words = Arrays.asList(hint.substring(hint.indexOf("gantry push ") + "gantry push ".length())
          .replace("DIR", base.toString()).split(" "));
      PushRequest.Builder push = PushRequest.builder(words.get(0)).storeDirectory(tmp.resolve("store"));
      words.subList(1, words.size()).forEach(push::destination);
      PushResult pushed = new Gantry().push(push.build());
      assertThat(remoteDigest(dest)).isEqualTo(pushed.manifestDigest().toString());

      // or the other way: run the hinted 'gantry build -t TAG --cache-dir STORE CONTEXT', then push again
      Matcher build = Pattern.compile("gantry build -t (\\S+) --cache-dir (\\S+) CONTEXT").matcher(hint);
      assertThat(build.find()).as(hint).isTrue();
      Path ctx = Fixtures.appContext(tmp.resolve("app"), "scratch");
      BuildResult built = new Gantry().build(BuildRequest.builder(ctx).tag(build.group(1))
          .storeDirectory(Path.of(build.group(2))).build());
      PushResult again = new Gantry().push(PushRequest.builder("nosuch:1").storeDirectory(tmp.resolve("store"))
          .destination(dest).build());
      assertThat(again.manifestDigest()).isEqualTo(built.manifestDigest());
      assertThat(remoteDigest(dest)).isEqualTo(built.manifestDigest().toString());
    }
  }
}
