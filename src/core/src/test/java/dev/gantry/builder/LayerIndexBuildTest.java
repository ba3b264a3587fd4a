package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.exec.Runc;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.oci.Platform;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.store.LayerIndex;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's view after cached steps comes from layer indexes: a base whose second layer deletes,
 * hides and replaces what its first one holds, COPY destinations through a symlink only the base
 * defines, {@code --chown} names from the base's /etc/passwd and /etc/group. Rebuilds after one
 * file changed read no byte of the base layers (their blobs are damaged in the store first), a
 * damaged index is rebuilt from its layer, and every result equals a build in a fresh store.
 */
class LayerIndexBuildTest {
  private static final String DOCKERFILE = """
      FROM base
      COPY a.txt /app/
      COPY --chown=app:staff b.txt /opt/old/
      COPY c.txt /srv/gone
      COPY d.txt /data/old
      """;

  @TempDir Path work;

  @AfterEach
  void forgetIndexes() {
    LayerIndexes.forgetAll();
  }

  /** Layer one: users, a symlink into /opt, a directory tree; layer two deletes, hides and replaces. */
  private Path baseLayout() throws IOException {
    String passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
    List<LayerEntry> one = List.of(
        LayerEntry.file("etc/passwd", passwd.getBytes(StandardCharsets.UTF_8)),
        LayerEntry.file("etc/group", "root:x:0:\nstaff:x:50:app\n".getBytes(StandardCharsets.UTF_8)),
        LayerEntry.directory("opt/app").withMode(0750).withOwner(7, 7),
        LayerEntry.symlink("app", "/opt/app"),
        LayerEntry.file("opt/old/keep.txt", bytes("old")),
        LayerEntry.file("srv/gone/child.txt", bytes("gone")),
        LayerEntry.file("data/old/hidden.txt", bytes("hidden")));
    List<LayerEntry> two = List.of(
        LayerEntry.file("etc/passwd", (passwd.replace("1000:1000", "1234:1234")).getBytes(StandardCharsets.UTF_8)),
        LayerEntry.symlink("opt/old", "/opt/app"),
        LayerEntry.whiteout("srv/gone"),
        LayerEntry.opaque("data"),
        LayerEntry.file("data/new.txt", bytes("new")));
    ImageConfig config = ImageConfig.empty(Platform.parse("linux/amd64")).withCreated(Instant.EPOCH);
    List<Blob> blobs = new ArrayList<>();
    for (List<LayerEntry> layer : List.of(one, two)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      WrittenLayer w = TarLayerWriter.create().write(layer, out);
      blobs.add(Blobs.of(w.descriptor().mediaType(), out.toByteArray()));
      config = config.withLayer(w.diffId(), new ImageConfig.History(Instant.EPOCH, "layer", "", "", false));
    }
    Path dir = work.resolve("base");
    OciLayoutWriter.at(dir).write(Image.oci(config, blobs), List.of("1"));
    return dir;
  }

  private Path context() throws IOException {
    Path ctx = Files.createDirectories(work.resolve("context"));
    for (String f : List.of("a", "b", "c", "d")) {
      Files.writeString(ctx.resolve(f + ".txt"), f + "\n");
    }
    Files.writeString(ctx.resolve("Dockerfile"), DOCKERFILE);
    return ctx;
  }

  private BuildResult build(Path ctx, Path base, String store, String out) throws Exception {
    return new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve(store))
        .buildContext("base", "oci-layout://" + base + ":1").output(new Output.OciLayout(work.resolve(out))).build());
  }

  /** A build of the same context in a store of its own, the reference every rebuild must equal. */
  private BuildResult fresh(Path ctx, Path base, String name) throws Exception {
    return build(ctx, base, "store-" + name, "out-" + name);
  }

  private static void assertSemantics(ImageSnapshot image, String d) {
    assertThat(image.files()).as("COPY into /app/ goes through the base's symlink to /opt/app")
        .containsKey("opt/app/a.txt").doesNotContainKey("app/a.txt");
    assertThat(image.files().get("opt/app/b.txt")).as("the later layer's passwd, the base's group")
        .startsWith("file 00644 1234:50 ");
    assertThat(image.files().get("srv/gone")).as("the whiteout removed the directory").startsWith("file ");
    assertThat(image.files().get("data/old")).as("the opaque directory hid data/old/")
        .isEqualTo("file 00644 0:0 " + BuildFixture.sha16(d));
    assertThat(image.files()).doesNotContainKeys("srv/gone/child.txt", "data/old/hidden.txt")
        .containsKey("data/new.txt").containsKey("opt/old");
  }

  private List<Path> baseBlobsIn(Path storeRoot, Path base) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Descriptor l : dev.gantry.oci.OciLayoutReader.open(base).readManifest(
        dev.gantry.oci.OciLayoutReader.open(base).resolve("1")).layers()) {
      out.add(storeRoot.resolve("v1/blobs/sha256/" + l.digest().hex()));
    }
    return out;
  }

  @Test
  void oneFileChangedRebuildReadsNoBaseLayerByte() throws Exception {
    Path base = baseLayout();
    Path ctx = context();
    build(ctx, base, "store", "out");
    assertSemantics(ImageSnapshot.read(work.resolve("out"), null), "d\n");

    for (Path blob : baseBlobsIn(work.resolve("store"), base)) {
      assertThat(blob).exists();
      byte[] garbage = new byte[(int) Files.size(blob)];
      java.util.Arrays.fill(garbage, (byte) 'x');
      Files.write(blob, garbage);
    }
    LayerIndexes.forgetAll();
    for (String changed : List.of("d", "b", "a")) {
      Files.writeString(ctx.resolve(changed + ".txt"), changed + " changed\n");
      BuildResult again = build(ctx, base, "store", "out");
      BuildResult reference = fresh(ctx, base, changed);
      assertThat(again.manifestDigest()).as("rebuild after %s.txt changed", changed)
          .isEqualTo(reference.manifestDigest());
      assertSemantics(ImageSnapshot.read(work.resolve("out-" + changed), null), "d changed\n");
      LayerIndexes.forgetAll();
    }
  }

  @Test
  void namesARunStepAddedResolveFromItsIndexWhenTheRunIsCached() throws Exception {
    requireTool(Runc.unavailable().isEmpty(), "runc: " + Runc.unavailable().orElse(""));
    requireTool(BusyboxRootfs.available(), "busybox-static is not installed");
    Path ctx = Files.createDirectories(work.resolve("run-context"));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    Files.writeString(ctx.resolve("f.txt"), "one\n");
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM scratch
        ADD base.tar /
        RUN echo 'svc:x:4321:4321::/:/bin/sh' >> /etc/passwd && echo 'svcg:x:777:' >> /etc/group
        COPY --chown=svc:svcg f.txt /f
        """);
    Path out = work.resolve("run-out");
    BuildResult first = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve("store"))
        .rewriteTimestamp(true).output(new Output.OciLayout(out)).build());
    Manifest m = Json.readManifest(Store.open(work.resolve("store")).readBlob(first.manifestDigest()));
    for (Descriptor layer : m.layers().subList(0, 2)) {
      Path blob = work.resolve("store/v1/blobs/sha256/" + layer.digest().hex());
      Files.write(blob, new byte[(int) Files.size(blob)]);
    }
    LayerIndexes.forgetAll();
    Files.writeString(ctx.resolve("f.txt"), "two\n");
    BuildResult again = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve("store"))
        .rewriteTimestamp(true).output(new Output.OciLayout(out)).build());
    assertThat(again.steps()).extracting(StepResult::cached).containsExactly(true, true, false);
    // RUN layers keep the times their commands give; clamped, two runs of the RUN give one layer
    Path fresh = work.resolve("run-fresh");
    BuildResult reference = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve("store-run"))
        .rewriteTimestamp(true).output(new Output.OciLayout(fresh)).build());
    assertThat(again.manifestDigest()).isEqualTo(reference.manifestDigest());
    assertThat(ImageSnapshot.read(fresh, null).files().get("f")).startsWith("file 00644 4321:777 ");
  }

  /** Skips without the tool, but fails under CI, where every tool must be installed. */
  private static void requireTool(boolean available, String what) {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(available).as(what).isTrue();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(available, what);
  }

  @Test
  void aSecondBuildInTheSameJvmTakesIndexesFromMemory() throws Exception {
    Path base = baseLayout();
    Path ctx = context();
    build(ctx, base, "store", "out");
    for (Path blob : baseBlobsIn(work.resolve("store"), base)) {
      Files.write(blob, new byte[(int) Files.size(blob)]);
    }
    try (var s = Files.list(work.resolve("store/v1/indexes/sha256"))) {
      for (Path f : s.toList()) {
        Files.delete(f);
      }
    }
    Files.writeString(ctx.resolve("d.txt"), "d changed\n");
    BuildResult again = build(ctx, base, "store", "out");
    assertThat(again.manifestDigest()).isEqualTo(fresh(ctx, base, "ref").manifestDigest());
  }

  @Test
  void theMemoryCacheKeepsTheMostRecentlyUsedIndexesWithinItsBound() {
    LayerIndexes.forgetAll();
    int third = (int) (LayerIndexes.MAX_CACHED_ENTRIES / 3) + 1;
    List<LayerEntry> entries = new ArrayList<>(third);
    for (int i = 0; i < third; i++) {
      entries.add(LayerEntry.directory("d" + i));
    }
    LayerIndex a = new LayerIndex(Digest.sha256("a"), entries, Map.of());
    LayerIndex b = new LayerIndex(Digest.sha256("b"), entries, Map.of());
    LayerIndex c = new LayerIndex(Digest.sha256("c"), entries, Map.of());
    LayerIndexes.remember(a);
    LayerIndexes.remember(b);
    assertThat(LayerIndexes.cached(a.diffId())).isSameAs(a);
    LayerIndexes.remember(c);
    assertThat(LayerIndexes.cached(b.diffId())).as("least recently used, evicted").isNull();
    assertThat(LayerIndexes.cached(a.diffId())).isSameAs(a);
    assertThat(LayerIndexes.cached(c.diffId())).isSameAs(c);
  }

  @Test
  void aDamagedIndexIsRebuiltFromItsLayer() throws Exception {
    Path base = baseLayout();
    Path ctx = context();
    build(ctx, base, "store", "out");
    Path indexes = work.resolve("store/v1/indexes/sha256");
    List<Path> files;
    try (var s = Files.list(indexes)) {
      files = s.sorted().toList();
    }
    assertThat(files).as("two base layers and four written layers").hasSize(6);
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      b[b.length - 1] ^= 0x55;
      Files.write(f, b);
    }
    LayerIndexes.forgetAll();
    Files.writeString(ctx.resolve("d.txt"), "d changed\n");
    BuildResult again = build(ctx, base, "store", "out");
    assertThat(again.manifestDigest()).isEqualTo(fresh(ctx, base, "ref").manifestDigest());
    assertSemantics(ImageSnapshot.read(work.resolve("out-ref"), null), "d changed\n");
    Store store = Store.open(work.resolve("store"));
    Manifest m = Json.readManifest(store.readBlob(again.manifestDigest()));
    List<Digest> diffIds = Json.readConfig(store.readBlob(m.config().digest())).rootfs().diffIds();
    assertThat(diffIds).hasSize(6);
    for (Digest diffId : diffIds) {
      assertThat(store.layerIndex(diffId)).as("index of %s, rebuilt from its layer", diffId).isPresent();
    }
  }

  @Test
  void theIndexOfAWrittenLayerIsTheIndexReadFromItsBlob() throws Exception {
    Store store = Store.open(work.resolve("store"));
    List<LayerEntry> entries = List.of(
        LayerEntry.file("etc/passwd", bytes("root:x:0:0::/root:/bin/sh\n")).withMtime(Instant.ofEpochSecond(99, 5)),
        LayerEntry.file("etc/group", bytes("root:x:0:\n")),
        LayerEntry.symlink("bin", "usr/bin").withMode(0755),
        LayerEntry.file("usr/bin/tool", bytes("#!/bin/sh\n")).withMode(04755).withOwner(5, 6)
            .withXattrs(Map.of("user.note", "x")),
        LayerEntry.hardlink("usr/bin/tool2", "usr/bin/tool"),
        LayerEntry.device("dev/null", EntryType.CHAR_DEVICE, 1, 3),
        LayerEntry.fifo("run/fifo"),
        LayerEntry.whiteout("srv/gone"),
        LayerEntry.file("srv/.wh.plain", bytes("an ADDed archive's whiteout name")),
        LayerEntry.file("opt/x/.wh..wh..opq", bytes("")),
        LayerEntry.opaque("var/cache"),
        LayerEntry.file("var/cache/new", bytes("n")));
    TarLayerWriter writer = TarLayerWriter.create().withSourceDateEpoch(Instant.ofEpochSecond(1000));
    WrittenLayer w;
    try (var out = store.newBlobWriter()) {
      w = writer.write(entries, out);
      out.commit(w.digest());
    }
    LayerIndex written = LayerIndex.ofWritten(w.diffId(), writer.planned(entries));
    LayerIndex read = LayerFiles.index(store, w.descriptor(), w.diffId());
    assertThat(written.entries()).containsExactlyElementsOf(read.entries());
    assertThat(written).isEqualTo(read);
    assertThat(read.files()).containsOnlyKeys("etc/passwd", "etc/group");

    assertThatThrownBy(() -> LayerFiles.index(store, w.descriptor(), Digest.sha256("not this layer")))
        .hasMessageContaining("uncompresses to " + w.diffId());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
