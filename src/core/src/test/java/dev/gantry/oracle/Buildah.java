package dev.gantry.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs buildah 1.28 as a differential oracle: builds a Dockerfile with its own isolated storage and
 * exports the image to an OCI layout (docker format, so Healthcheck/OnBuild/Shell survive).
 */
public final class Buildah {
  private final Path work;

  public Buildah(Path work) throws IOException {
    this.work = Files.createDirectories(work);
  }

  /** True when a buildah binary is on the PATH. */
  public static boolean available() {
    return Tools.onPath("buildah");
  }

  /** Builds {@code context} (Dockerfile inside it unless {@code dockerfile} is given) into an OCI layout. */
  public Path build(Path context, Path dockerfile, Map<String, String> buildArgs, String target)
      throws IOException, InterruptedException {
    return build(context, dockerfile, buildArgs, target, List.of());
  }

  /** Like {@link #build(Path, Path, Map, String)}, with more flags for {@code buildah build} ({@code --tls-verify=false}). */
  public Path build(Path context, Path dockerfile, Map<String, String> buildArgs, String target, List<String> flags)
      throws IOException, InterruptedException {
    Path layout = work.resolve("buildah-oci");
    List<String> cmd = new ArrayList<>(base());
    cmd.addAll(List.of("build", "--isolation", "chroot", "--format", "docker", "--layers", "-q", "-t", "oracle"));
    cmd.addAll(flags);
    if (dockerfile != null) {
      cmd.addAll(List.of("-f", dockerfile.toString()));
    }
    buildArgs.forEach((k, v) -> cmd.addAll(List.of("--build-arg", k + "=" + v)));
    if (target != null) {
      cmd.addAll(List.of("--target", target));
    }
    cmd.add(context.toString());
    run(cmd);
    List<String> push = new ArrayList<>(base());
    push.addAll(List.of("push", "--format", "docker", "oracle", "oci:" + layout + ":oracle"));
    run(push);
    return layout;
  }

  private List<String> base() {
    return List.of("buildah", "--root", work.resolve("root").toString(), "--runroot",
        work.resolve("runroot").toString(), "--storage-driver", "vfs");
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "buildah", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("buildah timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("buildah failed (" + p.exitValue() + "): " + cmd + "\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }
}
