package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final Digest D = Digest.sha256("layer");

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void escapesLikeGoEncodingJson() {
    assertThat(Json.writeValue("a<b>&c\u2028\"\\\n\u0001é😀"))
        .isEqualTo("\"a\\u003cb\\u003e\\u0026c\\u2028\\\"\\\\\\n\\u0001é😀\"");
  }

  @Test
  void writesConfigWithSortedTopLevelAndStructOrderedConfig() {
    ContainerConfig cc = ContainerConfig.EMPTY
        .withCmd(List.of("sh", "-c", "echo <hi>"))
        .withEnv(List.of("PATH=/usr/bin"))
        .withExposedPorts(Set.of("80/tcp", "443/tcp"))
        .withWorkingDir("/app")
        .withLabels(Map.of("b", "2", "a", "1"))
        .withArgsEscaped(true)
        .withHealthcheck(new ContainerConfig.Healthcheck(List.of("CMD", "true"),
            Duration.ofSeconds(30), null, null, null, 3))
        .withShell(List.of("/bin/sh", "-c"));
    ImageConfig c = ImageConfig.empty(Platform.parse("linux/arm64"))
        .withCreated(Instant.EPOCH)
        .withConfig(cc)
        .withLayer(D, new ImageConfig.History(Instant.EPOCH, "COPY x /", "", "", false))
        .withHistoryEntry(new ImageConfig.History(Instant.ofEpochSecond(1, 500_000_000), "CMD", "",
            "", true));
    assertThat(text(c.toJson())).isEqualTo("{\"architecture\":\"arm64\",\"config\":{"
        + "\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}},\"Env\":[\"PATH=/usr/bin\"],"
        + "\"Cmd\":[\"sh\",\"-c\",\"echo \\u003chi\\u003e\"],\"WorkingDir\":\"/app\","
        + "\"Labels\":{\"a\":\"1\",\"b\":\"2\"},\"ArgsEscaped\":true,"
        + "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":30000000000,\"Retries\":3},"
        + "\"Shell\":[\"/bin/sh\",\"-c\"]},"
        + "\"created\":\"1970-01-01T00:00:00Z\","
        + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"COPY x /\"},"
        + "{\"created\":\"1970-01-01T00:00:01.5Z\",\"created_by\":\"CMD\",\"empty_layer\":true}],"
        + "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D + "\"]}}");
  }

  @Test
  void readsWhatItWritesAndKeepsUnknownFields() {
    String foreign = "{\"os\":\"linux\",\"architecture\":\"amd64\",\"docker_version\":\"20.10\","
        + "\"container_config\":{\"Hostname\":\"x\",\"Tty\":false},"
        + "\"config\":{\"Hostname\":\"abc\",\"Env\":[\"A=1\"],\"Cmd\":null,\"Volumes\":{\"/data\":{}}},"
        + "\"created\":\"2024-05-01T12:00:00.123456789+02:00\","
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D + "\"]}}";
    ImageConfig c = Json.readConfig(foreign.getBytes(StandardCharsets.UTF_8));
    assertThat(c.created()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    assertThat(c.config().env()).containsExactly("A=1");
    assertThat(c.config().volumes()).containsExactly("/data");
    assertThat(c.config().extra()).containsEntry("Hostname", "\"abc\"");
    assertThat(c.extra()).containsKeys("docker_version", "container_config");
    String again = text(c.toJson());
    assertThat(again).startsWith("{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"A=1\"],"
        + "\"Volumes\":{\"/data\":{}},\"Hostname\":\"abc\"},"
        + "\"container_config\":{\"Hostname\":\"x\",\"Tty\":false},"
        + "\"created\":\"2024-05-01T10:00:00.123456789Z\",\"docker_version\":\"20.10\",");
    assertThat(Json.readConfig(c.toJson())).isEqualTo(c);
  }

  @Test
  void writesManifestAndIndexInOciFieldOrder() {
    Descriptor cfg = Descriptor.of(MediaType.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, D, 42);
    Manifest m = Manifest.oci(cfg, List.of(layer));
    assertThat(text(m.toJson())).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\""
        + MediaType.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG
        + "\",\"digest\":\"" + cfg.digest() + "\",\"size\":2},\"layers\":[{\"mediaType\":\""
        + MediaType.OCI_LAYER_GZIP + "\",\"digest\":\"" + D + "\",\"size\":42}]}");
    assertThat(Json.readManifest(m.toJson())).isEqualTo(m);
    Descriptor md = Descriptor.of(MediaType.OCI_MANIFEST, m.toJson())
        .withAnnotation("org.opencontainers.image.ref.name", "v1")
        .withPlatform(Platform.parse("linux/arm/v7"));
    Index i = Index.oci(List.of(md));
    assertThat(text(i.toJson())).contains("\"annotations\":{\"org.opencontainers.image.ref.name\":"
        + "\"v1\"},\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}]}");
    assertThat(Json.readIndex(i.toJson())).isEqualTo(i);
  }

  @Test
  void emptyConfigKeepsRequiredFields() {
    assertThat(text(ImageConfig.empty(Platform.parse("linux/amd64")).toJson()))
        .isEqualTo("{\"architecture\":\"amd64\",\"config\":{},\"os\":\"linux\","
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
  }
}
