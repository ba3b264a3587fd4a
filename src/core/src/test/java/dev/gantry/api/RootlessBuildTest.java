package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.TestPaths;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.CorpusCase;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds the RUN cases of {@code testdata/run} as root and as an unprivileged user (a new JVM under
 * {@code runuser}, which enters a user namespace by itself) and compares config and flattened
 * filesystem, owners included. A second user without subordinate ids builds an image whose files
 * all belong to root like root does, and gets a clear error, naming the file and how to give it
 * ids, where an owner cannot be expressed.
 */
class RootlessBuildTest {
  @TempDir static Path shared;
  static Path rootfs;
  static TestUser withIds;
  static TestUser oneId;

  @BeforeAll
  static void users() throws Exception {
    Tools.requireContainers();
    for (String tool : List.of("runuser", "useradd", "unshare", "newuidmap", "newgidmap")) {
      Tools.require(Tools.onPath(tool), tool + " is not installed (the test command installs uidmap)");
    }
    rootfs = BusyboxRootfs.write(shared.resolve("rootfs.tar"));
    withIds = TestUser.create("gantry-rl-ids", 400000, shared);
    oneId = TestUser.create("gantry-rl-one", 0, shared);
  }

  @AfterAll
  static void removeUsers() throws Exception {
    for (TestUser u : new TestUser[] {withIds, oneId}) {
      if (u != null) {
        u.close();
      }
    }
  }

  static Stream<Path> cases() throws IOException {
    return CorpusCase.list(TestPaths.testdata("run")).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rootlessImageEqualsTheRootOne(Path source) throws Exception {
    String name = source.getFileName().toString();
    Path work = Files.createDirectories(shared.resolve("cases").resolve(name));
    CorpusCase c = CorpusCase.prepare(source, work, rootfs);
    TestUser.readableByAll(shared.resolve("cases"));
    ImageSnapshot root = ImageSnapshot.read(c.buildWithGantry(work, work.resolve("root-oci")), null);

    Path out = withIds.home.resolve(name);
    TestUser.Result r = withIds.build(args(c, withIds, out));
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("message: RUN isolation: rootless (user namespace: id 0 is host id ")
        .contains("ids 1-65535 are host ids 400000-465534");
    assertThat(ImageSnapshot.read(out, null).render()).isEqualTo(root.render());
  }

  @Test
  void oneIdBuildsWhatRootOwnsLikeRoot(@TempDir Path tmp) throws Exception {
    Path ctx = Files.createDirectories(shared.resolve("one-id"));
    Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n"
        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox mkdir -p /out/d && echo hi > /out/d/f"
        + " && /bin/busybox chmod 640 /out/d/f && /bin/busybox rm /bin/busybox\"]\n");
    TestUser.readableByAll(ctx);
    CorpusCase c = new CorpusCase("one-id", ctx, java.util.Map.of(), null);
    ImageSnapshot root = ImageSnapshot.read(c.buildWithGantry(tmp, tmp.resolve("root-oci")), null);

    TestUser.Result r = oneId.build(args(c, oneId, oneId.home.resolve("one-id")));
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("message: RUN isolation: rootless (user namespace: id 0 is host id ")
        .contains("no subordinate ids, so files can only be owned by root");
    assertThat(ImageSnapshot.read(oneId.home.resolve("one-id"), null).render()).isEqualTo(root.render());
  }

  @Test
  void oneIdCannotExpressAnotherOwner() throws Exception {
    Path work = Files.createDirectories(shared.resolve("one-id-chown"));
    CorpusCase c = CorpusCase.prepare(TestPaths.testdata("run").resolve("04-chmod-chown"), work, rootfs);
    TestUser.readableByAll(work);
    TestUser.Result r = oneId.build(args(c, oneId, oneId.home.resolve("chown")));
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("failed: Dockerfile:3:1: RUN ")
        .contains("home/app: cannot be owned by 1000:1000: this user namespace maps no such id")
        .contains("hint: this rootless build maps one id only (gantry-rl-one has no subordinate ids)")
        .contains("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 gantry-rl-one");
  }

  @Test
  void aLibraryBuildOutsideANamespaceIsToldHowToStartTheJvm() throws Exception {
    Path ctx = Files.createDirectories(shared.resolve("library"));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD base.tar /\nRUN touch /x\n");
    TestUser.readableByAll(ctx);
    CorpusCase c = new CorpusCase("library", ctx, java.util.Map.of(), null);
    List<String> args = new ArrayList<>(args(c, withIds, withIds.home.resolve("library-oci")));
    args.addAll(List.of("--rerun", "false"));
    TestUser.Result r = withIds.build(args);
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("needs a user namespace: RUN without root needs a user namespace, and this"
        + " process runs outside one\nhint: the gantry command enters one by itself; to build through the library,"
        + " start the JVM with unshare --map-root-user --map-auto --mount --propagation private java ...");
    assertThat(withIds.home.resolve("library-oci")).doesNotExist();
  }

  @Test
  void cacheMountsAndSecretsAreOwnedThroughTheMapping() throws Exception {
    Path ctx = Files.createDirectories(shared.resolve("mounts"));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD base.tar /\n"
        + "RUN --mount=type=cache,id=c,target=/c,uid=1000,gid=50 --mount=type=secret,id=s,uid=1000,mode=0400"
        + " echo \"cache $(stat -c %u:%g /c) secret $(stat -c %u:%a /run/secrets/s) $(cat /run/secrets/s)\""
        + " && touch /c/made && chown 1000:1000 /c/made\n");
    Path secret = Files.writeString(shared.resolve("mounts-secret"), "s3cret");
    Files.setAttribute(secret, "unix:mode", 0644);
    TestUser.readableByAll(ctx);
    Path store = withIds.home.resolve("mounts-store");
    CorpusCase c = new CorpusCase("mounts", ctx, java.util.Map.of(), null);
    List<String> args = new ArrayList<>(args(c, withIds, withIds.home.resolve("mounts-oci")));
    args.set(1, store.toString());
    args.addAll(List.of("--secret", "s=" + secret, "--output-lines", "true"));
    TestUser.Result r = withIds.build(args);
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("run: cache 1000:50 secret 1000:400 s3cret");
    Path cache;
    try (Stream<Path> dirs = Files.list(store.resolve("v1/cache-mounts"))) {
      cache = dirs.findFirst().orElseThrow();
    }
    // on the host, id N of the build is subordinate id 400000 + N - 1
    assertThat(Files.getAttribute(cache, "unix:uid")).isEqualTo(400999);
    assertThat(Files.getAttribute(cache, "unix:gid")).isEqualTo(400049);
    assertThat(Files.getAttribute(cache.resolve("made"), "unix:uid")).isEqualTo(400999);
    assertThat(Files.getAttribute(store.resolve("v1"), "unix:uid"))
        .isEqualTo(Files.getAttribute(withIds.home, "unix:uid"));
  }

  @Test
  void pruneDeletesWhatSubordinateIdsOwn() throws Exception {
    Path ctx = Files.createDirectories(shared.resolve("prune"));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD base.tar /\n"
        + "RUN mkdir -p /x/y && touch /x/y/f && chown -R 1000:1000 /x && chmod 700 /x/y\n");
    TestUser.readableByAll(ctx);
    Path store = withIds.home.resolve("prune-store");
    CorpusCase c = new CorpusCase("prune", ctx, java.util.Map.of(), null);
    List<String> args = new ArrayList<>(args(c, withIds, withIds.home.resolve("prune-oci")));
    args.set(1, store.toString());
    assertThat(withIds.build(args).code()).isZero();
    assertThat(Files.list(store.resolve("v1/rootfs")).count()).isEqualTo(2);

    TestUser.Result r = withIds.run(withIds.java(PruneMain.class, List.of(store.toString())));
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("pruned 2");
    assertThat(Files.list(store.resolve("v1/rootfs")).count()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"Dockerfile.paths", "Dockerfile.mounts"})
  void hostileStepsLeaveTheHostAlone(String dockerfile) throws Exception {
    Path ctx = Files.createDirectories(shared.resolve("hostile-" + dockerfile));
    Files.copy(TestPaths.testdata("hostile").resolve(dockerfile), ctx.resolve(dockerfile));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    TestUser.readableByAll(ctx);
    Path host = Hostile.sentinels(shared.resolve("host-" + dockerfile));
    java.util.Map<String, String> before = RunMountConfinementTest.snapshot(host);

    CorpusCase c = new CorpusCase("hostile", ctx, java.util.Map.of("HOST", host.toString()), null);
    List<String> args = new ArrayList<>(args(c, withIds, withIds.home.resolve("hostile-" + dockerfile)));
    args.addAll(List.of("--dockerfile", ctx.resolve(dockerfile).toString(), "--output-lines", "true"));
    TestUser.Result r = withIds.build(args);
    assertThat(r.code()).as(r.output()).isZero();
    Hostile.assertDenied(r.output(), dockerfile);
    assertThat(RunMountConfinementTest.snapshot(host)).as("host directory after the build").isEqualTo(before);
  }

  private static List<String> args(CorpusCase c, TestUser user, Path out) {
    List<String> args = new ArrayList<>(List.of(c.context().toString(), user.home.resolve("store").toString(),
        "--out", out.toString()));
    c.buildArgs().forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
    if (c.target() != null) {
      args.addAll(List.of("--target", c.target()));
    }
    return args;
  }
}
