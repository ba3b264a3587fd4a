package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.model.Output;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busybox-based image built by Gantry to all three outputs is read by skopeo from each (same
 * config digest), unpacked by umoci into a runtime bundle, and run by runc, printing the line its
 * entrypoint script echoes. Podman, when installed, loads the docker archive.
 */
class OutputsToolsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LINE = "hello from a gantry image, uid 0";
  static final String TAG = "gantry-test/hello:1";

  @TempDir static Path work;
  static BuildResult result;
  static Path layout;
  static Path ociArchive;
  static Path dockerArchive;

  @BeforeAll
  static void build() throws Exception {
    Tools.require(BusyboxRootfs.available(), "busybox-static is not installed (the test command installs it)");
    Path context = Files.createDirectories(work.resolve("context"));
    BusyboxRootfs.write(context.resolve("rootfs.tar"));
    write(context, "hello.sh", "#!/bin/sh\necho \"hello from a gantry image, uid $(id -u)\"\n", "rwxr-xr-x");
    write(context, "Dockerfile", """
        FROM scratch
        ADD rootfs.tar /
        COPY hello.sh /app/hello.sh
        ENV GREETING=hello
        ENTRYPOINT ["/bin/sh", "/app/hello.sh"]
        """, "rw-r--r--");
    layout = work.resolve("oci");
    ociArchive = work.resolve("image-oci.tar");
    dockerArchive = work.resolve("image-docker.tar");
    result = new Gantry().build(BuildRequest.builder(context).storeDirectory(work.resolve("store")).tag(TAG)
        .output(new Output.OciLayout(layout)).output(new Output.OciArchive(ociArchive))
        .output(new Output.DockerArchive(dockerArchive)).build());
  }

  @Test
  void skopeoReadsEveryOutputWithTheSameConfig() throws Exception {
    Tools.require(Tools.onPath("skopeo"), "skopeo is not installed (the test command installs it)");
    String expected = result.configDigest().toString();
    for (String ref : List.of("oci:" + layout + ":1", "oci-archive:" + ociArchive, "docker-archive:" + dockerArchive)) {
      JsonNode raw = JSON.readTree(Commands.ok(work, List.of("skopeo", "inspect", "--raw", ref)));
      assertThat(raw.path("config").path("digest").asText()).as(ref).isEqualTo(expected);
      assertThat(raw.path("layers")).as(ref).hasSize(2);
      JsonNode inspect = JSON.readTree(Commands.ok(work, List.of("skopeo", "inspect", ref)));
      assertThat(inspect.path("Os").asText()).as(ref).isEqualTo("linux");
      assertThat(inspect.path("Layers")).as(ref).hasSize(2);
      assertThat(inspect.path("Env").toString()).as(ref).contains("GREETING=hello");
      JsonNode config = JSON.readTree(Commands.ok(work, List.of("skopeo", "inspect", "--config", ref)));
      assertThat(config.path("config").path("Entrypoint").toString()).as(ref)
          .isEqualTo("[\"/bin/sh\",\"/app/hello.sh\"]");
      if (!ref.startsWith("docker-archive:")) {
        assertThat(inspect.path("Digest").asText()).as(ref).isEqualTo(result.manifestDigest().toString());
      }
    }
    // The docker archive names the image by its full reference: skopeo selects it by that name.
    JsonNode byTag = JSON.readTree(Commands.ok(work, List.of("skopeo", "inspect", "--raw",
        "docker-archive:" + dockerArchive + ":" + TAG)));
    assertThat(byTag.path("config").path("digest").asText()).isEqualTo(expected);
  }

  @Test
  void umociUnpacksAndRuncRunsTheEntrypoint() throws Exception {
    Tools.require(Tools.onPath("umoci"), "umoci is not installed (the test command installs it)");
    Tools.require(Tools.onPath("runc"), "runc is not installed (the test command installs it)");
    Tools.require("root".equals(System.getProperty("user.name")), "runc needs root here");
    Path bundle = work.resolve("bundle");
    Commands.Result r = Commands.runUnpacked(work, layout + ":1", bundle);
    assertThat(bundle.resolve("rootfs/app/hello.sh")).isRegularFile();
    assertThat(bundle.resolve("rootfs/bin/busybox")).isRegularFile();
    assertThat(JSON.readTree(bundle.resolve("config.json").toFile()).path("process").path("args").toString())
        .isEqualTo("[\"/bin/sh\",\"/app/hello.sh\"]");
    assertThat(r.status()).as("runc run: %s", r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo(LINE + "\n");
  }

  @Test
  void podmanLoadsTheDockerArchiveAndRunsIt() throws Exception {
    Tools.require(Tools.onPath("podman"), "podman is not installed");
    // Own storage and configuration: the default nofile ulimit exceeds this kind of machine's limit.
    Path conf = write(work, "containers.conf", "[containers]\ndefault_ulimits = []\n", "rw-r--r--");
    List<String> podman = List.of("env", "CONTAINERS_CONF=" + conf, "podman", "--root", work.resolve("podman-root")
        .toString(), "--runroot", work.resolve("podman-run").toString(), "--storage-driver", "vfs",
        "--cgroup-manager", "cgroupfs", "--runtime", "runc", "--events-backend", "none");
    Commands.Result load = Commands.run(work, concat(podman, "load", "-i", dockerArchive.toString()));
    assertThat(load.status()).as("podman load: %s", load.stderr()).isZero();
    assertThat(load.stdout()).contains(TAG);
    String id = Commands.ok(work, concat(podman, "image", "inspect", "--format", "{{.Id}}", TAG)).trim();
    assertThat("sha256:" + id).isEqualTo(result.configDigest().toString());

    Commands.Result run = Commands.run(work, concat(podman, "run", "--rm", "--network", "none", TAG));
    assumeTrue(run.status() == 0 || !run.stderr().matches("(?s).*(ulimit|cgroup|netns|OCI runtime).*"),
        "podman cannot run containers here: " + run.stderr());
    assertThat(run.status()).as("podman run: %s", run.stderr()).isZero();
    assertThat(run.stdout()).isEqualTo(LINE + "\n");
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
