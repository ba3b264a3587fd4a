package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An index's manifest for a platform: OS, architecture and variant, as containerd matches them. */
class IndexPlatformTest {
  private static Descriptor manifest(String name, String platform) {
    Descriptor d = Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(name), 100);
    return platform == null ? d : d.withPlatform(Platform.parse(platform));
  }

  private static final Index INDEX = Index.oci(List.of(
      manifest("none", null),
      manifest("amd64", "linux/amd64"),
      manifest("armv6", "linux/arm/v6"),
      manifest("armv7", "linux/arm/v7"),
      manifest("arm64", "linux/arm64"),
      manifest("windows", "windows/amd64")));

  private static Optional<String> pick(String platform) {
    return INDEX.forPlatform(Platform.parse(platform)).map(d -> {
      for (String n : List.of("none", "amd64", "armv6", "armv7", "arm64", "windows")) {
        if (d.digest().equals(Digest.sha256(n))) {
          return n;
        }
      }
      return "?";
    });
  }

  @Test
  void theVariantChoosesAmongManifestsOfOneArchitecture() {
    assertThat(pick("linux/arm/v7")).contains("armv7");
    assertThat(pick("linux/arm/v6")).contains("armv6");
    assertThat(pick("linux/amd64")).contains("amd64");
    assertThat(pick("windows/amd64")).contains("windows");
    assertThat(pick("linux/arm64/v8")).as("arm64 images often give no variant").contains("arm64");
    assertThat(pick("linux/s390x")).isEmpty();
  }

  @Test
  void anUnmatchedVariantIsNoMatch() {
    Index onlyV6 = Index.oci(List.of(manifest("armv6", "linux/arm/v6")));
    assertThat(onlyV6.forPlatform(Platform.parse("linux/arm/v7"))).isEmpty();
  }
}
