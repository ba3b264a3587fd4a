package dev.gantry.realbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Commands;
import dev.gantry.api.Gantry;
import dev.gantry.exec.Runc;
import dev.gantry.model.Output;
import dev.gantry.oracle.Buildah;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import dev.gantry.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Builds on a real Debian bookworm base: a minbase rootfs from mmdebstrap ADDed as a base image and
 * pushed to a real docker-registry, then a Python app built FROM it with {@code apt-get install
 * python3} in RUN and a COPY {@code --chown} by name. Checks the details real images depend on:
 * archive mtimes and device nodes kept, every timestamp-based {@code .pyc} matching its source, no
 * opaque marker on a new directory, and the image runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealBaseTest {
  static final String APP_PY = "import json, email.parser, http.client, os, sys\n"
      + "print('hello from python %d.%d as %d' % (sys.version_info[0], sys.version_info[1], os.getuid()))\n";
  static final String APP_DOCKERFILE = "RUN apt-get update && apt-get install -y --no-install-recommends python3"
      + " && rm -rf /var/lib/apt/lists/*\n"
      + "RUN useradd --create-home --uid 1000 app\n"
      + "WORKDIR /home/app\n"
      + "COPY --chown=app:app app.py ./\n"
      + "USER app\n"
      + "CMD [\"python3\", \"app.py\"]\n";

  static final String EMPTY_SHA = "e3b0c44298fc1c14";

  Path work;
  TestRegistry registry;
  Path rootfsTar;
  String baseRef;
  Path appLayout;
  FlatImage base;
  FlatImage app;

  @BeforeAll
  void buildBaseAndApp() throws Exception {
    Tools.require(Runc.unavailable().isEmpty(), "cannot run containers here: " + Runc.unavailable().orElse(""));
    Tools.require(TestRegistry.available(), "docker-registry is not installed (the test command installs it)");
    rootfsTar = DebianRootfs.minbase();
    work = Files.createTempDirectory("gantry-realbase");
    registry = TestRegistry.start(work.resolve("registry"), TestRegistry.Mode.ANONYMOUS);
    baseRef = registry.host() + "/debian:bookworm";

    Path baseCtx = Files.createDirectories(work.resolve("base-ctx"));
    link(rootfsTar, baseCtx.resolve("rootfs.tar"));
    Files.writeString(baseCtx.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nCMD [\"bash\"]\n");
    Path baseLayout = work.resolve("base-oci");
    build(BuildRequest.builder(baseCtx).tag(baseRef).push(true).output(new Output.OciLayout(baseLayout)));
    base = FlatImage.read(baseLayout, "bookworm");

    Path appCtx = Files.createDirectories(work.resolve("app-ctx"));
    Files.writeString(appCtx.resolve("app.py"), APP_PY);
    Files.writeString(appCtx.resolve("Dockerfile"), "FROM " + baseRef + "\n" + APP_DOCKERFILE);
    appLayout = work.resolve("app-oci");
    build(BuildRequest.builder(appCtx).tag("app:1").output(new Output.OciLayout(appLayout)));
    app = FlatImage.read(appLayout, "1");
  }

  private BuildResult build(BuildRequest.Builder request) throws Exception {
    return new Gantry().build(request.storeDirectory(work.resolve("store")).build());
  }

  private static void link(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(from, to);
    }
  }

  @AfterAll
  void stop() throws IOException {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void addOfTheRootfsKeepsTheArchiveMtimesAndDeviceNodes() throws Exception {
    Map<String, FlatImage.Entry> archive = FlatImage.tarEntries(rootfsTar);
    FlatImage.Entry bash = base.files().get("usr/bin/bash");
    assertThat(bash.mtime()).isEqualTo(archive.get("usr/bin/bash").mtime()).isGreaterThan(1_600_000_000L);
    long kept = archive.entrySet().stream().filter(e -> e.getValue().type() == 'f')
        .filter(e -> base.files().get(e.getKey()).mtime() == e.getValue().mtime()).count();
    long files = archive.values().stream().filter(e -> e.type() == 'f').count();
    assertThat(kept).as("regular files whose archive mtime is kept").isEqualTo(files);
    List<String> devices = new ArrayList<>();
    archive.forEach((name, e) -> {
      if (e.type() == 'c' || e.type() == 'b') {
        devices.add(name);
        FlatImage.Entry got = base.files().get(name);
        assertThat(got).as(name).isNotNull();
        assertThat(List.of(got.type(), got.major(), got.minor(), got.mode()))
            .as(name).isEqualTo(List.of(e.type(), e.major(), e.minor(), e.mode()));
      }
    });
    assertThat(devices).contains("dev/null", "dev/zero", "dev/urandom");
  }

  @Test
  void everyTimestampBasedPycMatchesItsSource() {
    int checked = 0;
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, FlatImage.Entry> e : app.files().entrySet()) {
      String pyc = e.getKey();
      int cache = pyc.lastIndexOf("/__pycache__/");
      if (!pyc.endsWith(".pyc") || cache < 0) {
        continue;
      }
      String file = pyc.substring(cache + "/__pycache__/".length());
      String source = pyc.substring(0, cache) + "/" + file.substring(0, file.indexOf('.')) + ".py";
      FlatImage.Entry src = app.follow(source);
      byte[] h = e.getValue().head();
      if (src == null || h.length < 16 || le32(h, 4) != 0) {
        continue;
      }
      checked++;
      if (le32(h, 8) != (src.mtime() & 0xffffffffL) || le32(h, 12) != (src.size() & 0xffffffffL)) {
        stale.add(pyc + " records mtime " + le32(h, 8) + " size " + le32(h, 12) + ", source has "
            + src.mtime() + " " + src.size());
      }
    }
    assertThat(checked).as("timestamp-based .pyc files in the image").isGreaterThan(100);
    assertThat(stale).isEmpty();
  }

  @Test
  void runLayersMarkOnlyReplacedDirectoriesOpaque() {
    List<String> wrong = new ArrayList<>();
    for (int i = 1; i < app.layers().size(); i++) {
      Map<String, FlatImage.Entry> below = app.lower(i);
      for (String name : app.layers().get(i).keySet()) {
        if (name.endsWith("/" + FlatImage.OPAQUE)) {
          String dir = name.substring(0, name.length() - FlatImage.OPAQUE.length() - 1);
          FlatImage.Entry was = below.get(dir);
          if (was == null || was.type() != 'd') {
            wrong.add("layer " + i + ": " + name);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void copyChownByNameFromTheBaseAndRunsUnderRunc() throws Exception {
    FlatImage.Entry copied = app.files().get("home/app/app.py");
    assertThat(List.of(copied.uid(), copied.gid(), copied.mtime())).isEqualTo(List.of(1000L, 1000L, 0L));
    Tools.require(Tools.onPath("umoci"), "umoci is not installed (the test command installs it)");
    Commands.Result r = Commands.runUnpacked(work, appLayout + ":1", work.resolve("bundle"));
    assertThat(r.status()).as("runc run: %s", r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("hello from python 3.11 as 1000\n");
  }

  /**
   * buildah, given the same Dockerfile and base, makes the same files with the same modes, owners and
   * contents, except for what differs between any two runs of {@code apt-get} (logs and caches
   * holding times), compiled bytecode (same sources, but marshal output is not stable) and the
   * empty mount-point stubs buildah 1.28 leaves in a RUN layer when the base lacks them.
   */
  @Test
  void buildahMakesTheSameFiles() throws Exception {
    Tools.require(Buildah.available(), "buildah is not installed (the test command installs it)");
    Path ctx = Files.createDirectories(work.resolve("buildah-ctx"));
    Files.writeString(ctx.resolve("app.py"), APP_PY);
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + baseRef + "\n" + APP_DOCKERFILE);
    Path theirs = new Buildah(work.resolve("buildah")).build(ctx, null, Map.of(), null, List.of("--tls-verify=false"));
    Map<String, String> expected = comparable(ImageSnapshot.read(theirs, "oracle").files());
    Map<String, String> actual = comparable(ImageSnapshot.read(appLayout, "1").files());
    List<String> differences = new ArrayList<>();
    expected.forEach((k, v) -> {
      boolean buildahStub = actual.get(k) == null && k.matches("etc/(hosts|hostname|resolv\\.conf)")
          && v.endsWith(" " + EMPTY_SHA);
      if (!v.equals(actual.get(k)) && !buildahStub) {
        differences.add("/" + k + "  buildah: " + v + "  gantry: " + actual.get(k));
      }
    });
    actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> differences.add("/" + k + "  only gantry"));
    assertThat(differences).isEmpty();
    assertThat(expected.size()).isGreaterThan(9000);
  }

  /** Drops the contents that differ between two runs of the same apt-get, keeping the entries. */
  private static Map<String, String> comparable(Map<String, String> files) {
    Map<String, String> out = new java.util.TreeMap<>();
    files.forEach((k, v) -> {
      boolean volatileContent = k.startsWith("var/log/") || k.startsWith("var/cache/") || k.endsWith(".pyc")
          || k.startsWith("var/lib/dpkg/") || k.matches("etc/(g?shadow|passwd|group|subuid|subgid)-?");
      out.put(k, volatileContent && v.startsWith("file") ? v.substring(0, v.lastIndexOf(' ')) : v);
    });
    return out;
  }

  static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }
}
