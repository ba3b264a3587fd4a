package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.TestPaths;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.CorpusCase;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds inside a podman container started without added capabilities (no CAP_SYS_ADMIN) and with
 * the default seccomp profile, where no overlay can be mounted and runc cannot run: Gantry detects
 * the container and chooses chroot isolation by itself. Every RUN case of {@code testdata/run}
 * gives the image the root build gives; the hostile steps of {@code testdata/hostile} are denied and
 * leave a directory of the container that everyone may write untouched. The container's root
 * filesystem is an overlay of the host's (so the JDK and this test's classes are there); only the
 * test's directory is shared.
 */
class ChrootContainerTest {
  private static final List<String> HOSTILE = List.of("Dockerfile.paths", "Dockerfile.chroot");
  @TempDir Path tmp;

  @Test
  @Timeout(600)
  void buildsInAnUnprivilegedContainerEqualRootBuilds() throws Exception {
    Tools.requireContainers();
    Tools.require(Tools.onPath("podman"), "podman is not installed (the test command installs it)");
    Tools.require(Tools.onPath("capsh"), "capsh is not installed (Debian package libcap2-bin)");
    Path rootfs = BusyboxRootfs.write(tmp.resolve("rootfs.tar"));
    Map<String, ImageSnapshot> expected = new LinkedHashMap<>();
    List<String> script = new ArrayList<>(List.of("grep CapEff /proc/self/status > " + tmp.resolve("caps")));
    for (Path source : CorpusCase.list(TestPaths.testdata("run"))) {
      String name = source.getFileName().toString();
      Path work = Files.createDirectories(tmp.resolve("cases").resolve(name));
      CorpusCase c = CorpusCase.prepare(source, work, rootfs);
      expected.put(name, ImageSnapshot.read(c.buildWithGantry(work, work.resolve("root-oci")), null));
      List<String> args = new ArrayList<>(List.of(c.context().toString(), tmp.resolve("store").toString(), "--out",
          work.resolve("chroot-oci").toString()));
      c.buildArgs().forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
      if (c.target() != null) {
        args.addAll(List.of("--target", c.target()));
      }
      script.add(line(args, work));
    }
    Path host = Hostile.sentinels(tmp.resolve("host"));
    Map<String, String> before = RunMountConfinementTest.snapshot(host);
    Path hostileCtx = Files.createDirectories(tmp.resolve("hostile"));
    BusyboxRootfs.write(hostileCtx.resolve("base.tar"));
    for (String f : HOSTILE) {
      Files.copy(TestPaths.testdata("hostile").resolve(f), hostileCtx.resolve(f));
      Path work = Files.createDirectories(tmp.resolve(f));
      script.add(line(List.of(hostileCtx.toString(), tmp.resolve("store").toString(), "--dockerfile",
          hostileCtx.resolve(f).toString(), "--build-arg", "HOST=" + host, "--output-lines", "true"), work));
    }
    Path scriptFile = Files.writeString(tmp.resolve("builds.sh"), String.join("\n", script) + "\n");

    Process p = new ProcessBuilder("podman", "run", "--rm", "--ulimit", "nofile=" + openFiles() + ":" + openFiles(),
        "--ulimit", "nproc=4096:4096", "-v", tmp + ":" + tmp, "--rootfs", "/:O", "sh", scriptFile.toString())
        .redirectErrorStream(true).start();
    String podman = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(podman).isZero();
    long caps = Long.parseUnsignedLong(Files.readString(tmp.resolve("caps")).replace("CapEff:", "").trim(), 16);
    assertThat(caps & (1L << 21)).as("CAP_SYS_ADMIN in the container").isZero();

    for (Map.Entry<String, ImageSnapshot> e : expected.entrySet()) {
      Path work = tmp.resolve("cases").resolve(e.getKey());
      String log = Files.readString(work.resolve("log"));
      assertThat(Files.readString(work.resolve("rc")).trim()).as(e.getKey() + ":\n" + log).isEqualTo("0");
      assertThat(log).contains("message: RUN isolation: chroot (in a container (");
      assertThat(ImageSnapshot.read(work.resolve("chroot-oci"), null).render()).as(e.getKey())
          .isEqualTo(e.getValue().render());
    }
    for (String f : HOSTILE) {
      String log = Files.readString(tmp.resolve(f).resolve("log"));
      assertThat(Files.readString(tmp.resolve(f).resolve("rc")).trim()).as(log).isEqualTo("0");
      Hostile.assertDenied(log, f);
    }
    assertThat(RunMountConfinementTest.snapshot(host)).as("host directory after the builds").isEqualTo(before);
  }

  /** A script line running {@link BuildMain} with {@code args}, its output in {@code work/log}, its status in {@code work/rc}. */
  private static String line(List<String> args, Path work) {
    List<String> cmd = new ArrayList<>(EngineFixtures.childJvm(List.of(), args));
    StringBuilder b = new StringBuilder();
    for (String a : cmd) {
      b.append('\'').append(a.replace("'", "'\\''")).append("' ");
    }
    return b + "> " + work.resolve("log") + " 2>&1; echo $? > " + work.resolve("rc");
  }

  /** The hard limit of open files of this process: a container may not get more. */
  private static long openFiles() throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (l.startsWith("Max open files")) {
        return Long.parseLong(l.trim().split("\\s+")[4]);
      }
    }
    return 1024;
  }
}
