package dev.gantry.oci;

import dev.gantry.Goldens;
import dev.gantry.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of an image's JSON documents: a config that sets every field Gantry writes, the OCI
 * and Docker manifests made of it, and an index. Their digests name images; the same build must
 * give the same image ID and manifest digest on every release.
 *
 * <p>A failure here means the serialisation changed. If that is deliberate (a new field, another
 * order or escaping), it is a cache-version bump: bump {@code CacheKey.VERSION}, say so in the
 * change, then rewrite {@code testdata/pins/image-json.txt} with {@code -Dgantry.updateGoldens=true}
 * and review the diff.
 */
class ImageBytesPinTest {
  private static final String HEADER = """
      Image JSON bytes and digests (ImageBytesPinTest). A change is a deliberate cache-version bump:
      bump CacheKey.VERSION, then rewrite with -Dgantry.updateGoldens=true and review the diff.""";
  private static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

  private static ImageConfig config() {
    ContainerConfig cc = ContainerConfig.EMPTY
        .withUser("app:app")
        .withExposedPorts(Set.of("8080/tcp", "53/udp"))
        .withEnv(List.of("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"))
        .withEntrypoint(List.of("/bin/app", "--config=/etc/app.conf"))
        .withCmd(List.of("serve", "<all>"))
        .withVolumes(Set.of("/data", "/cache"))
        .withWorkingDir("/srv")
        .withLabels(Map.of("org.opencontainers.image.title", "pin", "a", "\u00e9"))
        .withStopSignal("SIGINT")
        .withArgsEscaped(true)
        .withHealthcheck(new ContainerConfig.Healthcheck(List.of("CMD-SHELL", "check || exit 1"),
            Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(1), 2))
        .withOnBuild(List.of("COPY . /src"))
        .withShell(List.of("/bin/bash", "-c"));
    return ImageConfig.empty(Platform.parse("linux/arm/v7"))
        .withCreated(EPOCH)
        .withAuthor("someone@example.com")
        .withConfig(cc)
        .withLayer(Digest.sha256("layer one"), new ImageConfig.History(EPOCH, "COPY app /srv # buildkit",
            "someone@example.com", "", false))
        .withHistoryEntry(new ImageConfig.History(EPOCH, "ENV LANG=C.UTF-8", "", "buildkit.dockerfile.v0", true))
        .withLayer(Digest.sha256("layer two"), new ImageConfig.History(EPOCH.plusNanos(1), "RUN make # buildkit",
            "", "", false));
  }

  private static List<Blob> layers() {
    return List.of(Blobs.of(MediaType.OCI_LAYER_GZIP, "gzip layer".getBytes(StandardCharsets.UTF_8)),
        Blobs.of(MediaType.OCI_LAYER_GZIP, "another gzip layer".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void imageDocumentsHaveTheGoldenBytes() throws IOException {
    ImageConfig config = config();
    Image oci = Image.oci(config, layers());
    Image docker = Image.docker(config, layers());
    Descriptor inIndex = oci.manifest().descriptor()
        .withAnnotation(OciLayoutWriter.REF_NAME, "v1").withPlatform(Platform.parse("linux/arm/v7"));
    Map<String, String> pins = new LinkedHashMap<>();
    pins.put("config", new String(config.toJson(), StandardCharsets.UTF_8));
    pins.put("config digest", oci.config().descriptor().digest().toString());
    pins.put("oci manifest", new String(Blobs.readAll(oci.manifest()), StandardCharsets.UTF_8));
    pins.put("oci manifest digest", oci.manifest().descriptor().digest().toString());
    pins.put("docker manifest", new String(Blobs.readAll(docker.manifest()), StandardCharsets.UTF_8));
    pins.put("docker manifest digest", docker.manifest().descriptor().digest().toString());
    pins.put("index", new String(Index.oci(List.of(inIndex)).toJson(), StandardCharsets.UTF_8));
    Goldens.assertValues(TestPaths.testdata("pins").resolve("image-json.txt"), HEADER, pins);
  }
}
