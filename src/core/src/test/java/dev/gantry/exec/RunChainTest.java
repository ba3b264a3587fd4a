package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN chains: a RUN's upper directory becomes its chain's unpacked directory by a rename, holding
 * exactly what extracting its layer gives, and the next RUN sees the first's files through it.
 */
@Timeout(120)
class RunChainTest {
  /** Owners, modes, setuid, links, a deletion, an opaque directory, copied-up files with xattrs. */
  private static final String FIRST = "mkdir -p /a/b && echo hi > /a/b/f && chown 1000:50 /a/b/f && chmod 4750 /a/b/f"
      + " && ln /a/b/f /a/hard && ln -s ../a/b/f /a/sym && rm /etc/group && rm -rf /home && mkdir /home"
      + " && echo n > /home/new && chown 5:6 /x/file && chmod 600 /x/file && touch /x/new && mkdir /e && chmod 1777 /e";
  @TempDir Path tmp;
  ExecFixture fx;
  RootfsCache cache;
  RunExecutor executor;
  List<Descriptor> layers = new ArrayList<>();
  List<Digest> diffIds = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    fx = new ExecFixture(tmp);
    cache = new RootfsCache(fx.store);
    executor = new RunExecutor(cache, Runc.create(tmp.resolve("runc")));
    layers.add(fx.layer);
    diffIds.add(fx.diffId);
    // a layer with user xattrs, so that the RUN copies files and directories carrying them up
    add(write(List.of(LayerEntry.directory("x").withXattrs(Map.of("user.dir", "d")),
        LayerEntry.file("x/file", "x".getBytes(StandardCharsets.UTF_8)).withXattrs(Map.of("user.note", "v")))));
  }

  private record Layer(Descriptor blob, Digest diffId, byte[] bytes) {}

  private Layer write(List<LayerEntry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer w = TarLayerWriter.create().withCompression(Compression.NONE).write(entries, out);
    byte[] bytes = out.toByteArray();
    return new Layer(Descriptor.of(MediaType.OCI_LAYER_TAR, fx.store.putBlob(bytes).digest(), bytes.length), w.diffId(),
        bytes);
  }

  private void add(Layer l) {
    layers.add(l.blob());
    diffIds.add(l.diffId());
  }

  private RunExecutor.Result run(String script, List<String> out) throws IOException {
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", script), List.of(), "", "",
        ContainerProcess.Network.NONE, Map.of());
    RunExecutor.Result r = executor.run(layers, diffIds, req, Files.createTempDirectory(tmp, "run"), out::add);
    assertThat(r.exit().code()).as(String.join("\n", out)).isZero();
    return r;
  }

  /** Writes the RUN's layer, adds it to the chain and offers its upper directory to the cache. */
  private boolean keep(RunExecutor.Result r) throws IOException {
    Layer l = write(r.entries());
    add(l);
    return executor.keep(r.upper().orElseThrow(), r.entries(), TarLayerWriter.create()::entryTime, diffIds);
  }

  /** The chain's directory extracted afresh from its layers, in a store of its own. */
  private Path extracted() throws IOException {
    Store other = Store.open(Files.createTempDirectory(tmp, "other"));
    for (Descriptor d : layers) {
      other.putBlob(fx.store.readBlob(d.digest()));
    }
    List<Path> dirs = new RootfsCache(other).lowerDirs(layers, diffIds);
    return dirs.get(dirs.size() - 1);
  }

  private Path kept() throws IOException {
    List<Path> dirs = cache.lowerDirs(layers, diffIds);
    return dirs.get(dirs.size() - 1);
  }

  @Test
  void keptUpperHoldsExactlyWhatAFreshExtractionOfItsLayerHolds() throws IOException {
    RunExecutor.Result r = run(FIRST, new ArrayList<>());
    Path upper = r.upper().orElseThrow().directory();
    assertThat(keep(r)).isTrue();
    assertThat(upper).doesNotExist();
    assertThat(tree(kept())).isEqualTo(tree(extracted())).containsKeys("etc/group", "home", "a/hard", "x/file");
    assertThat(tree(kept()).get("x/file")).contains("user.note=v").doesNotContain("overlay");
    // the layer's file contents are read from wherever the directory went
    try (var in = r.entries().stream().filter(e -> e.path().equals("a/b/f")).findFirst().orElseThrow().content().open()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
    }
  }

  @Test
  void nextRunSeesTheFirstRunsFilesDeletionsOpaqueDirectoriesAndAFifo() throws IOException {
    assertThat(keep(run(FIRST + " && busybox mkfifo /p && chmod 640 /p && chown 7:8 /p", new ArrayList<>()))).isTrue();
    List<String> out = new ArrayList<>();
    RunExecutor.Result second = run("stat -c '%n %F %a %u %g %s' /a/b/f /a/hard /a/sym /p /x/file /x/new"
        + " && stat -c '%n %F %a %u %g' /e"
        + " && ls -a /home && test ! -e /etc/group && echo no-group && rm /a/b/f", out);
    assertThat(out).containsExactly(
        "/a/b/f regular file 4750 1000 50 3", "/a/hard regular file 4750 1000 50 3", "/a/sym symbolic link 777 0 0 8",
        "/p fifo 640 7 8 0", "/x/file regular file 600 5 6 1", "/x/new regular empty file 644 0 0 0",
        "/e directory 1777 0 0", ".", "..", "new", "no-group");
    assertThat(second.entries()).anyMatch(e -> e.path().equals("a/b/f") && e.type() == EntryType.WHITEOUT);
    assertThat(keep(second)).isTrue();
    assertThat(kept().resolve("a/b/f")).satisfies(p -> assertThat(Files.readAttributes(p, "unix:rdev",
        LinkOption.NOFOLLOW_LINKS).get("rdev")).isEqualTo(0L));
  }

  @Test
  void upperIsNotKeptWhenTheLayerDiffersFromItOrItHoldsAnXattrTheLayerCannot() throws IOException {
    Tools.require(Tools.onPath("setfattr"), "setfattr is not installed (Debian package attr)");
    RunExecutor.Result r = run(FIRST, new ArrayList<>());
    Path upper = r.upper().orElseThrow().directory();
    List<LayerEntry> otherModes = r.entries().stream()
        .map(e -> e.path().equals("home/new") ? e.withMode(0600) : e).toList();
    add(write(otherModes));
    assertThat(executor.keep(r.upper().get(), otherModes, TarLayerWriter.create()::entryTime, diffIds)).isFalse();
    assertThat(upper.resolve("home/new")).exists();
    layers.remove(layers.size() - 1);
    diffIds.remove(diffIds.size() - 1);

    // the scan notes xattrs outside user. (as a command that ran setfattr would leave them)
    List<Path> lowers = cache.lowerDirs(List.copyOf(layers), List.copyOf(diffIds));
    Commands.run(List.of("setfattr", "-n", "trusted.gantry", "-v", "1", upper.resolve("a/b/f").toString()));
    UpperSnapshot marked = UpperSnapshot.scan(upper, lowers);
    add(write(marked.entries()));
    assertThat(executor.keep(marked, marked.entries(), TarLayerWriter.create()::entryTime, diffIds)).isFalse();
    assertThat(upper).exists();
    Commands.run(List.of("setfattr", "-x", "trusted.gantry", upper.resolve("a/b/f").toString()));
    UpperSnapshot clean = UpperSnapshot.scan(upper, lowers);
    assertThat(executor.keep(clean, clean.entries(), TarLayerWriter.create()::entryTime, diffIds)).isTrue();
    assertThat(tree(kept())).isEqualTo(tree(extracted()));
  }

  @Test
  void concurrentBuildsOfTheSameChainKeepOneUpperAndBothSeeIt() throws Exception {
    CyclicBarrier ran = new CyclicBarrier(2);
    List<Digest> base = List.copyOf(diffIds);
    List<Descriptor> baseLayers = List.copyOf(layers);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> kept = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        kept.add(pool.submit(() -> {
          RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", FIRST), List.of(), "", "",
              ContainerProcess.Network.NONE, Map.of());
          RunExecutor.Result r = executor.run(baseLayers, base, req, Files.createTempDirectory(tmp, "run"), l -> { });
          Layer l = write(r.entries());
          List<Digest> chain = new ArrayList<>(base);
          chain.add(l.diffId());
          ran.await(60, TimeUnit.SECONDS);
          return executor.keep(r.upper().orElseThrow(), r.entries(), TarLayerWriter.create()::entryTime, chain);
        }));
      }
      assertThat(List.of(kept.get(0).get(), kept.get(1).get())).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdownNow();
    }
    add(write(run(FIRST, new ArrayList<>()).entries()));
    assertThat(tree(kept())).isEqualTo(tree(extracted()));
    try (Stream<Path> s = Files.list(cache.directory())) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }

  @Test
  void overlaysAreVolatileWhereTheKernelAllowsIt() throws IOException {
    String[] v = System.getProperty("os.version").split("[.-]");
    boolean since510 = Integer.parseInt(v[0]) > 5 || Integer.parseInt(v[0]) == 5 && Integer.parseInt(v[1]) >= 10;
    assertThat(OverlayMount.probe(cache.directory(), Files.createTempDirectory(tmp, "probe")))
        .isEqualTo(since510 ? OverlayMount.Support.VOLATILE : OverlayMount.Support.PLAIN);
  }

  /**
   * Each path under {@code root}: type, mode, owner, size, content, link target, device numbers and
   * {@code user.*} xattrs, and the modification time of files and directories; whiteouts by type alone.
   */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(p -> !p.equals(root)).toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime",
            LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int fmt = mode & 0170000;
        String d;
        if (fmt == 0020000 && (Long) a.get("rdev") == 0) {
          d = "whiteout";
        } else {
          d = Integer.toOctalString(mode) + " " + a.get("uid") + ":" + a.get("gid") + " rdev " + a.get("rdev");
          if (fmt == 0100000) {
            d += " " + a.get("size") + " " + Digest.sha256(Files.readAllBytes(p));
          } else if (fmt == 0120000) {
            d += " -> " + Files.readSymbolicLink(p);
          }
          if (fmt == 0100000 || fmt == 0040000) {
            d += " " + ((FileTime) a.get("lastModifiedTime")).toInstant() + xattrs(p);
          }
        }
        out.put(root.relativize(p).toString(), d);
      }
    }
    return out;
  }

  private static String xattrs(Path p) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    Map<String, String> x = new TreeMap<>();
    for (String name : v.list()) {
      ByteBuffer b = ByteBuffer.allocate(v.size(name));
      v.read(name, b);
      x.put(name, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
    }
    StringBuilder sb = new StringBuilder();
    x.forEach((k, val) -> sb.append(" user.").append(k).append('=').append(val));
    return sb.toString();
  }
}
