package dev.gantry.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of an image's JSON documents: a config that sets every field Gantry writes, the OCI
 * and Docker manifests made of it, and an index. Their digests name images; the same build must
 * give the same image ID and manifest digest on every release.
 *
 * <p>A failure here means the serialisation changed. If that is deliberate (a new field, another
 * order or escaping), it is a cache-version bump: bump {@code CacheKey.VERSION}, say so in the
 * change, then update the expected text and digests (the failures list every new value at once).
 */
class ImageBytesPinTest {
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
  void imageDocumentsHaveTheseBytes() throws IOException {
    ImageConfig config = config();
    Image oci = Image.oci(config, layers());
    Image docker = Image.docker(config, layers());
    Descriptor inIndex = oci.manifest().descriptor()
        .withAnnotation(OciLayoutWriter.REF_NAME, "v1").withPlatform(Platform.parse("linux/arm/v7"));
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(new String(config.toJson(), StandardCharsets.UTF_8)).as("config").isEqualTo(
        "{\"architecture\":\"arm\",\"author\":\"someone@example.com\",\"config\":{\"User\":\"app:app\","
        + "\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},"
        + "\"Env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\",\"LANG=C.UTF-8\"],"
        + "\"Entrypoint\":[\"/bin/app\",\"--config=/etc/app.conf\"],\"Cmd\":[\"serve\","
        + "\"\\u003call\\u003e\"],\"Volumes\":{\"/cache\":{},\"/data\":{}},\"WorkingDir\":\"/srv\","
        + "\"Labels\":{\"a\":\"é\",\"org.opencontainers.image.title\":\"pin\"},\"StopSignal\":\"SIGINT\","
        + "\"ArgsEscaped\":true,\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"check || exit 1\"],"
        + "\"Interval\":30000000000,\"Timeout\":3000000000,\"StartPeriod\":5000000000,"
        + "\"StartInterval\":1000000000,\"Retries\":2},\"OnBuild\":[\"COPY . /src\"],"
        + "\"Shell\":[\"/bin/bash\",\"-c\"]},\"created\":\"2020-01-01T00:00:00Z\","
        + "\"history\":[{\"created\":\"2020-01-01T00:00:00Z\","
        + "\"created_by\":\"COPY app /srv # buildkit\","
        + "\"author\":\"someone@example.com\"},{\"created\":\"2020-01-01T00:00:00Z\","
        + "\"created_by\":\"ENV LANG=C.UTF-8\",\"comment\":\"buildkit.dockerfile.v0\","
        + "\"empty_layer\":true},{\"created\":\"2020-01-01T00:00:00.000000001Z\","
        + "\"created_by\":\"RUN make # buildkit\"}],\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"sha256:f191e625176e7514249870c60bc24622131b04927a418001d1969c9cecd260f1\","
        + "\"sha256:77c7ed05b2e49df2e55d70cb007508cc66b2f5419a940bfd6f8749ba7db77c45\"]},"
        + "\"variant\":\"v7\"}");
    soft.assertThat(oci.config().descriptor().digest().toString()).as("config digest").isEqualTo(
        "sha256:2a0e607e9e6a285223dbabe15107c35d10c5b20ee815318ef957f75ad7e28f7f");
    soft.assertThat(new String(Blobs.readAll(oci.manifest()), StandardCharsets.UTF_8)).as("oci manifest")
        .isEqualTo(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"digest\":\"sha256:2a0e607e9e6a285223dbabe15107c35d10c5b20ee815318ef957f75ad7e28f7f\","
        + "\"size\":1207},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"sha256:f17e5d9c4f9aac7c8a9040f335402a91e3656a007eb8e040905ccf09bc166897\","
        + "\"size\":10},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"sha256:89be3445620d6cfd910b415d47f0516e96e02de7bbe96f593e0e88620c8f77fa\","
        + "\"size\":18}]}");
    soft.assertThat(oci.manifest().descriptor().digest().toString()).as("oci manifest digest").isEqualTo(
        "sha256:7015207ddd3ccb972f0d22c822198b80c6394ca0762ff56ec3155504959d1a8a");
    soft.assertThat(docker.manifest().descriptor().digest().toString()).as("docker manifest digest")
        .isEqualTo(
        "sha256:34ade0f9577bda9d12a0eade7a907ea51b084dbee62dbf1c68fa37b31228a3f9");
    soft.assertThat(new String(Index.oci(List.of(inIndex)).toJson(), StandardCharsets.UTF_8)).as("index")
        .isEqualTo(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"sha256:7015207ddd3ccb972f0d22c822198b80c6394ca0762ff56ec3155504959d1a8a\","
        + "\"size\":554,\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"},"
        + "\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}]}");
    soft.assertAll();
  }
}
