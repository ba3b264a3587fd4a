package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real containers (runc over an overlay of the busybox rootfs) and checks the layer entries they produce. */
class RunExecutorTest {
  @TempDir Path tmp;
  ExecFixture fx;
  RunExecutor executor;

  @BeforeEach
  void setUp() throws IOException {
    fx = new ExecFixture(tmp);
    executor = new RunExecutor(new RootfsCache(fx.store), Runc.create(tmp.resolve("runc")));
  }

  private RunExecutor.Result run(String script, String user, List<String> out) throws IOException {
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", script), List.of("FOO=bar"), user, "",
        ContainerProcess.Network.DEFAULT, Map.of());
    return executor.run(List.of(fx.layer), List.of(fx.diffId), req, Files.createTempDirectory(tmp, "run"), out::add);
  }

  private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    return entries.stream().collect(Collectors.toMap(e -> e.tarName(), e -> e));
  }

  @Test
  void changesBecomeEntriesWithWhiteoutsAndOpaqueDirectories() throws IOException {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    RunExecutor.Result r = run("echo hello $FOO; echo oops >&2; mkdir -p /a/b && echo x > /a/b/f && chown 1000:50 /a/b/f"
        + " && chmod 4755 /a/b/f && rm /etc/group && rm -rf /home && mkdir /home && touch /tmp/t && rm /tmp/t"
        + " && ln -s /a/b/f /link && ln /a/b/f /a/hard", "", out);
    assertThat(r.exit().code()).isZero();
    assertThat(out).containsExactlyInAnyOrder("hello bar", "oops");
    Map<String, LayerEntry> e = byPath(r.entries());
    assertThat(e.get("a/b/f").mode()).isEqualTo(04755);
    assertThat(e.get("a/b/f").uid()).isEqualTo(1000);
    assertThat(e.get("a/b/f").gid()).isEqualTo(50);
    assertThat(e.get("a/hard").type()).isEqualTo(EntryType.HARDLINK);
    assertThat(e.get("a/hard").linkTarget()).isEqualTo("a/b/f");
    assertThat(e.get("link").linkTarget()).isEqualTo("/a/b/f");
    assertThat(e.get("etc/.wh.group").type()).isEqualTo(EntryType.WHITEOUT);
    assertThat(e.get("home/.wh..wh..opq").type()).isEqualTo(EntryType.OPAQUE_WHITEOUT);
    assertThat(e).doesNotContainKeys("tmp/t", "proc/", "dev/", "sys/", "etc/hosts", "etc/resolv.conf");
  }

  @Test
  void directoriesThatDidNotExistBelowAreNotOpaque() throws IOException {
    // overlayfs marks a directory opaque when it is renamed or made where a whiteout is, as dpkg does
    RunExecutor.Result r = run("mkdir -p /new/a/b /etc/sub/deeper && touch /new/a/b/f /etc/sub/deeper/g"
        + " && mv /new /moved && rm /etc/group && mkdir /etc/group && rm -rf /home/app && mkdir /home/app", "",
        new ArrayList<>());
    assertThat(r.exit().code()).isZero();
    Map<String, LayerEntry> e = byPath(r.entries());
    assertThat(e).containsKeys("moved/a/b/f", "etc/sub/deeper/g", "etc/group/", "home/app/");
    assertThat(e.values()).filteredOn(x -> x.type() == EntryType.OPAQUE_WHITEOUT).extracting(LayerEntry::path)
        .as("only the recreated directory that the base has").containsExactly("home/app");
  }

  @Test
  void userByNameGetsItsGroupsAndFailuresReportTheExitCode() throws IOException {
    List<String> out = new ArrayList<>();
    RunExecutor.Result r = run("id; pwd; hostname; exit 3", "app", out);
    assertThat(r.exit().code()).isEqualTo(3);
    assertThat(r.exit().tail()).containsExactly("uid=1000(app) gid=1000(app) groups=50(staff),1000(app)", "/",
        ContainerProcess.HOSTNAME);
    assertThat(r.entries()).isEmpty();
  }

  @Test
  void networkNoneHasOnlyLoopbackAndDefaultSharesTheHostNetwork() throws IOException {
    String script = "ls /sys/class/net";
    List<String> none = new ArrayList<>();
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", script), List.of(), "", "/",
        ContainerProcess.Network.NONE, Map.of());
    assertThat(executor.run(List.of(fx.layer), List.of(fx.diffId), req, Files.createTempDirectory(tmp, "run"),
        none::add).exit().code()).isZero();
    assertThat(String.join(" ", none).trim().split("\\s+")).containsExactly("lo");
    List<String> host = new ArrayList<>();
    run(script, "", host);
    List<String> hostIfaces = new ArrayList<>();
    try (var s = Files.list(Path.of("/sys/class/net"))) {
      s.forEach(p -> hostIfaces.add(p.getFileName().toString()));
    }
    assertThat(String.join(" ", host).trim().split("\\s+")).containsExactlyInAnyOrderElementsOf(hostIfaces);
  }

  @Test
  void interruptKillsTheContainerAndUnmounts() throws Exception {
    Path work = Files.createTempDirectory(tmp, "run");
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      while (out.isEmpty()) {
        Thread.onSpinWait();
      }
      caller.interrupt();
    });
    interrupter.start();
    // a sleep no other process on the machine runs, so that the check below sees this container alone
    String sleep = "sleep " + (300_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000));
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", "echo started; " + sleep), List.of(),
        "", "/", ContainerProcess.Network.DEFAULT, Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> executor.run(List.of(fx.layer), List.of(fx.diffId), req, work, out::add))
        .isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(Thread.interrupted()).isTrue();
    interrupter.join();
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain(work.toString());
    assertThat(Commands.run(List.of("ps", "-eo", "args"))).doesNotContain(sleep);
  }
}
