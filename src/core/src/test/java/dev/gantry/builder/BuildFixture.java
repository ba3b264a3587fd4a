package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.Gantry;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One scratch build through the public API: a context directory, a private store and an OCI layout
 * output, all under a test's temporary directory. Helpers write context files, build, read the
 * image back with {@link ImageSnapshot}, and check that a failed build left nothing half-written.
 */
final class BuildFixture {
  /** A failed build reduced to what a user sees: one positioned line and a hint. */
  record Failure(String message, String hint, Throwable cause) {}

  final Path work;
  final Path context;
  final Path store;
  final Path out;

  BuildFixture(Path work) throws IOException {
    this.work = work;
    this.context = Files.createDirectories(work.resolve("context"));
    this.store = work.resolve("store");
    this.out = work.resolve("out");
  }

  /** Writes a context file (parents created). */
  Path write(String rel, String content) throws IOException {
    return write(rel, content.getBytes(StandardCharsets.UTF_8));
  }

  Path write(String rel, byte[] content) throws IOException {
    Path p = context.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.write(p, content);
  }

  /**
   * Writes the busybox test rootfs as {@code base.tar} in the context, for Dockerfiles with RUN;
   * skips the test where containers cannot run.
   */
  void writeBusyboxBase() throws IOException {
    Tools.requireContainers();
    BusyboxRootfs.write(context.resolve("base.tar"));
  }

  /** Writes the Dockerfile. */
  BuildFixture dockerfile(String text) throws IOException {
    write("Dockerfile", text);
    return this;
  }

  BuildRequest.Builder request() {
    return BuildRequest.builder(context).storeDirectory(store).output(new Output.OciLayout(out));
  }

  /** Builds and reads the image back. */
  ImageSnapshot build() throws Exception {
    return build(UnaryOperator.identity());
  }

  /** Builds (replacing the output of an earlier build) and reads the image back. */
  ImageSnapshot build(UnaryOperator<BuildRequest.Builder> options) throws Exception {
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    new Gantry().build(options.apply(request()).build());
    return ImageSnapshot.read(out, null);
  }

  /** Builds expecting a failure; asserts it is positioned ({@code Dockerfile:LINE:COL: }) and returns it. */
  Failure fail(int line) throws IOException {
    return fail(line, UnaryOperator.identity());
  }

  Failure fail(int line, UnaryOperator<BuildRequest.Builder> options) throws IOException {
    Map<String, String> outputBefore = tree(out);
    Throwable t = catchThrowable(() -> new Gantry().build(options.apply(request()).build()));
    assertThat(t).as("the build must fail").isNotNull();
    Failure f;
    if (t instanceof DockerfileException de) {
      Diagnostic d = de.diagnostics().get(0);
      f = new Failure(d.headline(), d.hint(), t);
    } else if (t instanceof BuildException be) {
      f = new Failure(be.getMessage(), be.hint(), t);
    } else {
      throw new AssertionError("unexpected failure type", t);
    }
    assertThat(f.message()).as("positioned message").matches("Dockerfile:" + line + ":\\d+: (?s).+");
    assertStoreClean();
    assertThat(tree(out)).as("the output is untouched").isEqualTo(outputBefore);
    if (outputBefore.isEmpty()) {
      assertThat(out).as("output").doesNotExist();
    }
    return f;
  }

  /** The store is intact (every blob hashes to its name) and holds no temp files or scratch dirs. */
  void assertStoreClean() throws IOException {
    if (Files.exists(store)) {
      Store s = Store.open(store);
      assertThat(s.verify().ok()).as("store verifies").isTrue();
      assertThat(list(store.resolve("v1").resolve("tmp"))).as("store temp files").isEmpty();
      assertThat(list(store).stream().filter(p -> p.getFileName().toString().startsWith("build-")).toList())
          .as("scratch directories").isEmpty();
    }
  }

  /** Every path under {@code dir} with a digest of its content ("dir" for directories); empty when absent. */
  static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return m;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String rel = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          m.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          m.put(rel, "dir");
        } else {
          m.put(rel, sha16(Files.readAllBytes(p)));
        }
      }
    }
    return m;
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** The modification time of every path in the built image's layers (a later layer wins). */
  Map<String, Instant> mtimes() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(out.resolve("index.json").toFile());
    JsonNode manifest = json.readTree(blob(index.path("manifests").get(0).path("digest").asText()).toFile());
    Map<String, Instant> times = new TreeMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob(layer.path("digest").asText())));
          TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          times.put(ImageSnapshotNames.clean(e.getName()), e.getLastModifiedDate().toInstant());
        }
      }
    }
    return times;
  }

  /** The layer digests of the built image, bottom first. */
  List<String> layerDigests() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(out.resolve("index.json").toFile());
    JsonNode manifest = json.readTree(blob(index.path("manifests").get(0).path("digest").asText()).toFile());
    List<String> digests = new java.util.ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  private Path blob(String digest) {
    String[] p = digest.split(":", 2);
    return out.resolve("blobs").resolve(p[0]).resolve(p[1]);
  }

  /** Entry names as {@link ImageSnapshot} keys them: no leading {@code ./} or {@code /}, no trailing {@code /}. */
  private static final class ImageSnapshotNames {
    static String clean(String n) {
      while (n.startsWith("./") || n.startsWith("/")) {
        n = n.startsWith("./") ? n.substring(2) : n.substring(1);
      }
      while (n.endsWith("/")) {
        n = n.substring(0, n.length() - 1);
      }
      return n;
    }
  }

  /** The image's files, one {@code /path  description} line each (as {@link ImageSnapshot#render()} has them). */
  static String files(ImageSnapshot img) {
    StringBuilder sb = new StringBuilder();
    img.files().forEach((k, v) -> sb.append('/').append(k).append("  ").append(v).append('\n'));
    return sb.toString();
  }

  static String sha16(byte[] data) {
    try (InputStream in = new java.io.ByteArrayInputStream(data)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(in.readAllBytes());
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha16(String text) {
    return sha16(text.getBytes(StandardCharsets.UTF_8));
  }
}
