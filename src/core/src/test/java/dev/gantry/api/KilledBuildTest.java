package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.exec.RunWorkspace;
import dev.gantry.exec.Runc;
import dev.gantry.oci.Digest;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.store.BlobWriter;
import dev.gantry.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build killed with SIGKILL in the middle of a RUN that reads a secret (file and variable): the
 * secret's bytes are on no disk file of the store, and the next build on that store kills the
 * orphaned container, detaches the dead build's mounts and deletes its work directory and the
 * temporary file of a blob writer that died, while a build running meanwhile on the same store (in
 * another process) and a blob writer of this process are left alone and finish.
 */
class KilledBuildTest {
  private static final String BASE = "FROM scratch\nADD base.tar /\n";
  @TempDir Path tmp;
  final List<Process> children = new ArrayList<>();

  /** When the test failed half-way: no child, container or mount of it outlives it. */
  @AfterEach
  void endWhatIsLeft() throws Exception {
    for (Process p : children) {
      p.destroyForcibly().waitFor();
    }
    Path store = tmp.resolve("store");
    if (Files.isDirectory(store)) {
      for (Path work : workDirectories(store)) {
        RunWorkspace.remove(work);
      }
    }
  }

  @Test
  @Timeout(300)
  void theNextBuildRemovesWhatAKilledOneLeftAndNoSecretReachedTheDisk() throws Exception {
    RunPreconditions.require();
    String secret = "KILLED-" + UUID.randomUUID();
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Path store = tmp.resolve("store");
    BusyboxRootfs.write(context.resolve("base.tar"));
    Path token = Files.writeString(tmp.resolve("token"), secret);
    Files.writeString(context.resolve("Dockerfile.dead"), BASE + "RUN --mount=type=secret,id=tok"
        + " --mount=type=secret,id=tok,env=TOK cat /run/secrets/tok > /dev/null && echo sleeping && sleep 600\n");
    Files.writeString(context.resolve("Dockerfile.live"), BASE + "RUN --mount=type=cache,id=gate,target=/gate"
        + " echo waiting; while test ! -e /gate/go; do sleep 0.1; done; echo through\n");
    Files.writeString(context.resolve("Dockerfile"), BASE + "RUN echo next\n");
    Path host = Files.createDirectories(tmp.resolve("host/dir"));
    Files.writeString(host.resolve("sentinel"), "host-file\n");
    Files.createSymbolicLink(context.resolve("hostlink"), host);
    Map<String, String> hostBefore = RunMountConfinementTest.snapshot(host);

    Child dead = Child.start(context, store, "Dockerfile.dead", "--secret", "tok=" + token);
    children.add(dead.process);
    dead.await("run: sleeping");
    Path deadWork = workDirectories(store).get(0);
    dead.process.destroyForcibly().waitFor();
    assertThat(RunWorkspace.mountsUnder(deadWork)).as("mounts the kill left").isNotEmpty();
    assertThat(containers(deadWork)).as("containers the kill left").isNotEmpty();
    assertNotOnDisk(store, secret);

    Path partial = store.resolve("v1/tmp/blob-" + UUID.randomUUID() + ".tmp");
    Files.writeString(partial, "half a blob");
    Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minusSeconds(60)));

    Child live = Child.start(context, store, "Dockerfile.live");
    children.add(live.process);
    try (BlobWriter writing = Store.open(store).newBlobWriter()) {
      writing.write("still writing".getBytes(StandardCharsets.UTF_8));
      writing.flush();
      live.await("run: waiting");
      Path liveWork = workDirectories(store).stream().filter(p -> !p.equals(deadWork)).findFirst().orElseThrow();
      List<Path> liveMounts = RunWorkspace.mountsUnder(liveWork);
      List<String> liveContainers = containers(liveWork);
      assertThat(liveContainers).hasSize(1);
      List<Path> temps = list(store.resolve("v1/tmp"));
      for (Path t : temps) {
        Files.setLastModifiedTime(t, FileTime.from(Instant.now().minusSeconds(60)));
      }

      new Gantry().build(BuildRequest.builder(context).storeDirectory(store).build());

      assertThat(deadWork).doesNotExist();
      assertThat(RunWorkspace.mountsUnder(deadWork)).isEmpty();
      assertThat(processesMentioning(deadWork.getFileName().toString())).as("runc processes of the dead build")
          .isEmpty();
      assertThat(processesMentioning("sleep 600")).as("the dead build's command").isEmpty();
      assertThat(list(store.resolve("v1/tmp"))).containsExactlyInAnyOrderElementsOf(
          temps.stream().filter(p -> !p.equals(partial)).toList()).hasSize(1);
      assertThat(workDirectories(store)).containsExactly(liveWork);
      assertThat(RunWorkspace.mountsUnder(liveWork)).isEqualTo(liveMounts);
      assertThat(containers(liveWork)).isEqualTo(liveContainers);
      assertNotOnDisk(store, secret);
    }
    Files.createFile(store.resolve("v1/cache-mounts").resolve(Digest.sha256("gate".getBytes(StandardCharsets.UTF_8))
        .hex()).resolve("go"));
    assertThat(live.awaitDigest()).isNotNull();
    assertThat(workDirectories(store)).isEmpty();
    assertThat(RunWorkspace.mountsUnder(store)).isEmpty();
    assertThat(RunMountConfinementTest.snapshot(host)).isEqualTo(hostBefore);
  }

  /** A child JVM running {@link BuildMain} with RUN output lines on its stdout. */
  private record Child(Process process, BufferedReader out, List<String> seen) {
    static Child start(Path context, Path store, String dockerfile, String... more) throws IOException {
      List<String> args = new ArrayList<>(List.of(context.toString(), store.toString(), "--dockerfile",
          context.resolve(dockerfile).toString(), "--output-lines", "true"));
      args.addAll(List.of(more));
      Process p = new ProcessBuilder(EngineFixtures.childJvm(List.of(), args)).redirectErrorStream(true).start();
      return new Child(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
          new ArrayList<>());
    }

    void await(String line) throws IOException {
      for (String l; (l = out.readLine()) != null; ) {
        seen.add(l);
        if (l.equals(line)) {
          return;
        }
      }
      throw new AssertionError("child ended before \"" + line + "\":\n" + String.join("\n", seen));
    }

    Digest awaitDigest() throws IOException, InterruptedException {
      return EngineFixtures.awaitDigest(process, out);
    }
  }

  private static List<Path> workDirectories(Path store) throws IOException {
    return list(store).stream().filter(p -> p.getFileName().toString().startsWith("build-")).toList();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /** The containers runc knows in the runtime directory of work directory {@code work}. */
  private static List<String> containers(Path work) throws IOException, InterruptedException {
    Path state = Runc.stateRoot(RunWorkspace.runtimeDirectory(work));
    Process p = new ProcessBuilder("runc", "--root", state.toString(), "list", "-q").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("runc list: %s", out).isZero();
    return out.lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  /**
   * The processes whose command line (arguments joined by spaces) contains {@code text}, after
   * waiting up to five seconds for them to end (a killed container's runc parent exits soon after).
   */
  private static List<String> processesMentioning(String text) throws IOException, InterruptedException {
    List<String> out = running(text);
    for (int i = 0; i < 50 && !out.isEmpty(); i++) {
      Thread.sleep(100);
      out = running(text);
    }
    return out;
  }

  private static List<String> running(String text) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path proc : list(Path.of("/proc"))) {
      if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
        continue;
      }
      try {
        String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
            .replace('\0', ' ');
        if (cmd.contains(text)) {
          out.add(proc.getFileName() + ": " + cmd);
        }
      } catch (IOException e) {
        // ended meanwhile
      }
    }
    return out;
  }

  /** Fails when a file on the store's own filesystem (other mounts skipped) holds {@code secret}. */
  private static void assertNotOnDisk(Path store, String secret) throws IOException {
    Object device = Files.getAttribute(store, "unix:dev");
    String needle = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
    List<Path> holding = new ArrayList<>();
    Files.walkFileTree(store, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
          return device.equals(Files.getAttribute(d, "unix:dev")) ? FileVisitResult.CONTINUE
              : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          if (a.isRegularFile() && HexFormat.of().formatHex(Files.readAllBytes(f)).contains(needle)) {
            holding.add(store.relativize(f));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    assertThat(holding).as("files on disk holding the secret").isEmpty();
  }
}
