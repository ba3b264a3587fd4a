package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.Tools;
import dev.gantry.realbase.DebianRootfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gantry image ({@code src/cli/image}) built by Gantry on a real JRE base (Debian bookworm with
 * {@code openjdk-17-jre-headless}), then run by podman as a CI job would: it prints its version and
 * builds an image from a mounted context into a mounted directory.
 */
class GantryImageIT {
  @TempDir Path tmp;
  private Path podmanRoot;

  private static Path repo() {
    return CliTest.repo();
  }

  @AfterEach
  void removeImages() throws Exception {
    if (podmanRoot != null) {
      run(podman("rmi", "-af"));
    }
  }

  @Test
  void gantryBuildsItsOwnImageWhichBuildsInAContainer() throws Exception {
    Tools.require(Tools.onPath("podman"), "podman is not installed (the test command installs it)");
    Path rootfs = DebianRootfs.minbase("openjdk-17-jre-headless");

    Path base = Files.createDirectories(tmp.resolve("base"));
    Files.createLink(base.resolve("rootfs.tar"), rootfs);
    Files.writeString(base.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\n");
    Path jre = tmp.resolve("jre");
    gantry("--compression", "zstd", "-t", "jre:17", "-o", "type=oci,dest=" + jre, base.toString());

    Path image = tmp.resolve("image");
    gantry("-f", repo().resolve("src/cli/image/Dockerfile").toString(),
        "--build-context", "dist=" + repo().resolve("src/cli/target"),
        "--build-context", "jre=oci-layout://" + jre + ":17", "--build-arg", "BASE=jre",
        "-t", "gantry:it", "-o", "type=oci,dest=" + image, repo().resolve("src/cli/image").toString());

    podmanRoot = tmp.resolve("podman");
    run(podman("pull", "-q", "oci:" + image + ":it"));
    String id = run(podman("images", "-q")).trim().lines().findFirst().orElseThrow();
    assertThat(run(podman("run", "--rm", "--network", "none", id, "--version"))).startsWith("gantry ");

    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("hello.txt"), "hello from a container\n");
    Files.writeString(app.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\nCMD [\"/hello\"]\n");
    Path out = Files.createDirectories(tmp.resolve("out"));
    run(podman("run", "--rm", "--network", "none", "-v", app + ":/workspace/app:ro", "-v", out + ":/out", id,
        "build", "-q", "-t", "hello:1", "-o", "type=oci,dest=/out/hello", "/workspace/app"));
    assertThat(out.resolve("hello/index.json")).isRegularFile();
    String index = Files.readString(out.resolve("hello/index.json"));
    assertThat(index).contains("\"org.opencontainers.image.ref.name\":\"1\"");
  }

  /**
   * podman on storage and configuration of its own: no default ulimits (its default open-file limit
   * can exceed the machine's), cgroupfs, runc, no event log.
   */
  private List<String> podman(String... args) throws IOException {
    Path conf = podmanRoot.resolve("containers.conf");
    if (!Files.exists(conf)) {
      Files.createDirectories(podmanRoot);
      Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
    }
    List<String> cmd = new ArrayList<>(List.of("env", "CONTAINERS_CONF=" + conf, "podman", "--root",
        podmanRoot.resolve("root").toString(), "--runroot", podmanRoot.resolve("run").toString(),
        "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--runtime", "runc", "--events-backend", "none"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code gantry build ARGS} from the shaded jar on this test's store. */
  private void gantry(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", repo().resolve("src/cli/target/gantry.jar").toString(), "build", "--cache-dir",
        tmp.resolve("store").toString()));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}
