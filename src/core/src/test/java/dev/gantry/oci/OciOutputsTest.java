package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.oracle.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a small image through every output and checks it with the real tools when present
 * (skopeo, umoci); lives in the oci test package but may use layer, as tests are not graph-checked.
 */
class OciOutputsTest {
  @TempDir Path tmp;

  static Image smallImage() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer w = TarLayerWriter.create().write(List.of(
        LayerEntry.file("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8)),
        LayerEntry.symlink("greeting", "hello.txt"),
        LayerEntry.directory("opt/tools").withMode(0750),
        LayerEntry.file("opt/tools/suid", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
            .withMode(04755)), out);
    Blob layer = Blobs.of(w.descriptor().mediaType(), out.toByteArray());
    assertThat(layer.descriptor()).isEqualTo(w.descriptor());
    ImageConfig cfg = ImageConfig.empty(Platform.parse("linux/amd64")).withCreated(Instant.EPOCH)
        .withConfig(ContainerConfig.EMPTY.withCmd(List.of("/bin/sh")).withLabels(Map.of("a", "b")))
        .withLayer(w.diffId(), new ImageConfig.History(Instant.EPOCH, "COPY . /", "", "", false));
    return Image.oci(cfg, List.of(layer));
  }

  @Test
  void layoutRoundTripsIsIdempotentAndVerifiesBlobs() throws IOException {
    Path dir = tmp.resolve("layout");
    Image img = smallImage();
    Descriptor md = OciLayoutWriter.at(dir).write(img, List.of("v1", "latest"));
    byte[] index = Files.readAllBytes(dir.resolve("index.json"));
    // not rewritten: a rewrite renames a new file into place
    Object inode = Files.getAttribute(OciLayoutWriter.blobPath(dir, md.digest()), "unix:ino");
    OciLayoutWriter.at(dir).write(img, List.of("v1", "latest"));
    assertThat(Files.readAllBytes(dir.resolve("index.json"))).isEqualTo(index);
    assertThat(Files.getAttribute(OciLayoutWriter.blobPath(dir, md.digest()), "unix:ino")).isEqualTo(inode);
    assertThat(Files.readString(dir.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");

    OciLayoutReader r = OciLayoutReader.open(dir);
    assertThat(r.index().manifests()).hasSize(2);
    assertThat(r.resolve("v1")).isEqualTo(md.withAnnotation(OciLayoutWriter.REF_NAME, "v1"));
    Manifest m = r.readManifest(r.resolve("latest"));
    assertThat(r.readConfig(m).config().cmd()).containsExactly("/bin/sh");
    assertThat(r.resolve(null).digest()).isEqualTo(md.digest());
    assertThatThrownBy(() -> r.resolve("nope")).hasMessageContaining("no image tagged \"nope\"");

    Files.write(OciLayoutWriter.blobPath(dir, m.config().digest()), "{\"tampered\":1}".getBytes());
    assertThatThrownBy(() -> r.readBlob(m.config())).isInstanceOf(IOException.class);
  }

  @Test
  void archivesAreDeterministic() throws IOException {
    Image img = smallImage();
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    OciArchiveWriter.create().write(img, List.of("v1"), a);
    OciArchiveWriter.create().write(smallImage(), List.of("v1"), b);
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(a.toByteArray()))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertThat(e.getModTime().getTime()).isZero();
      }
    }
    assertThat(names).startsWith("blobs/", "blobs/sha256/").endsWith("index.json", "oci-layout");
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    DockerArchiveWriter.create().write(img, List.of("example.com/app:1.0"), d);
    String manifestJson = new String(DockerArchiveWriter.manifestJson(img, List.of("example.com/app:1.0")),
        StandardCharsets.UTF_8);
    assertThat(manifestJson).isEqualTo("[{\"Config\":\"blobs/sha256/" + img.config().descriptor().digest().hex()
        + "\",\"RepoTags\":[\"example.com/app:1.0\"],\"Layers\":[\"blobs/sha256/"
        + img.layers().get(0).descriptor().digest().hex() + "\"]}]");
  }

  private static boolean tool(String name) {
    return Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/usr/local/bin", name));
  }

  private static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + " said: " + out).isZero();
    return out;
  }

  @Test
  void skopeoInspectsTheLayoutAndTheArchives() throws Exception {
    Tools.require(tool("skopeo"), "skopeo is not installed; skipping the real-tool check");
    Image img = smallImage();
    Path dir = tmp.resolve("layout");
    OciLayoutWriter.at(dir).write(img, List.of("v1"));
    String out = run(tmp, "skopeo", "inspect", "--raw", "oci:" + dir + ":v1");
    assertThat(out).isEqualTo(new String(Blobs.readAll(img.manifest()), StandardCharsets.UTF_8));
    String cfg = run(tmp, "skopeo", "inspect", "--config", "oci:" + dir + ":v1");
    assertThat(cfg).contains("\"/bin/sh\"");
    Path docker = tmp.resolve("image-docker.tar");
    DockerArchiveWriter.create().write(img, List.of("example.com/app:1.0"), docker);
    String d = run(tmp, "skopeo", "inspect", "docker-archive:" + docker);
    assertThat(d).contains("\"Architecture\": \"amd64\"").contains("\"a\": \"b\"");
    Path oci = tmp.resolve("image-oci.tar");
    OciArchiveWriter.create().write(img, List.of("v1"), oci);
    run(tmp, "skopeo", "inspect", "oci-archive:" + oci + ":v1");
  }

  @Test
  void archivesAndBlobsGetThePermissionsTheUmaskGives() throws IOException {
    Path reference = tmp.resolve("reference");
    Files.newOutputStream(reference).close();
    int umaskMode = mode(reference);
    assertThat(umaskMode).as("a file this process creates is readable by its owner").isGreaterThanOrEqualTo(0600);
    Image img = smallImage();
    Path oci = tmp.resolve("out/image-oci.tar");
    Path docker = tmp.resolve("out/image-docker.tar");
    Path layout = tmp.resolve("layout");
    OciArchiveWriter.create().write(img, List.of("v1"), oci);
    DockerArchiveWriter.create().write(img, List.of("example.com/app:1.0"), docker);
    OciLayoutWriter.at(layout).write(img, List.of("v1"));
    assertThat(mode(oci)).isEqualTo(umaskMode);
    assertThat(mode(docker)).isEqualTo(umaskMode);
    assertThat(mode(OciLayoutWriter.blobPath(layout, img.manifest().descriptor().digest()))).isEqualTo(umaskMode);
    try (var left = Files.list(oci.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("image-oci.tar", "image-docker.tar");
    }
  }

  private static int mode(Path p) throws IOException {
    return (int) Files.getAttribute(p, "unix:mode") & 0777;
  }

  @Test
  void imagesAreOneFormatThroughoutAndZstdLayersKeepOciTypes() throws IOException {
    Image img = smallImage();
    Blob dockerLayer = Blobs.withMediaType(img.layers().get(0), MediaType.DOCKER_LAYER_GZIP);
    Blob foreign = Blobs.withMediaType(img.layers().get(0), MediaType.DOCKER_FOREIGN_LAYER_GZIP);
    ImageConfig cfg = Json.readConfig(Blobs.readAll(img.config()));
    Image oci = Image.oci(cfg, List.of(dockerLayer, foreign));
    Manifest m = Json.readManifest(Blobs.readAll(oci.manifest()));
    assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(m.layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaType.OCI_LAYER_GZIP, MediaType.OCI_NONDISTRIBUTABLE_GZIP);
    assertThat(oci.layers().get(0).descriptor().digest()).isEqualTo(img.layers().get(0).descriptor().digest());
    assertThat(oci.manifest().descriptor()).isEqualTo(Image.oci(cfg, List.of(img.layers().get(0),
        Blobs.withMediaType(img.layers().get(0), MediaType.OCI_NONDISTRIBUTABLE_GZIP))).manifest().descriptor());

    Image docker = oci.withDockerTypes();
    Manifest dm = Json.readManifest(Blobs.readAll(docker.manifest()));
    assertThat(docker.manifest().descriptor().mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(dm.config().mediaType()).isEqualTo(MediaType.DOCKER_CONFIG);
    assertThat(dm.layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaType.DOCKER_LAYER_GZIP, MediaType.DOCKER_FOREIGN_LAYER_GZIP);
    assertThat(Blobs.readAll(docker.config())).isEqualTo(Blobs.readAll(oci.config()));

    Blob zstd = Blobs.withMediaType(img.layers().get(0), MediaType.OCI_LAYER_ZSTD);
    Image withZstd = Image.oci(cfg, List.of(dockerLayer, zstd));
    assertThat(withZstd.withDockerTypes()).isSameAs(withZstd);
  }

  @Test
  void umociUnpacksTheExpectedFiles() throws Exception {
    Tools.require(tool("umoci"), "umoci is not installed; skipping the real-tool check");
    Path dir = tmp.resolve("layout");
    OciLayoutWriter.at(dir).write(smallImage(), List.of("v1"));
    Path bundle = tmp.resolve("bundle");
    run(tmp, "umoci", "unpack", "--rootless", "--image", dir + ":v1", bundle.toString());
    Path rootfs = bundle.resolve("rootfs");
    assertThat(rootfs.resolve("hello.txt")).hasContent("hello");
    assertThat(Files.readSymbolicLink(rootfs.resolve("greeting")).toString()).isEqualTo("hello.txt");
    assertThat((int) Files.getAttribute(rootfs.resolve("opt/tools/suid"), "unix:mode") & 07777)
        .isEqualTo(04755);
    assertThat((int) Files.getAttribute(rootfs.resolve("opt/tools"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777)
        .isEqualTo(0750);
  }
}
