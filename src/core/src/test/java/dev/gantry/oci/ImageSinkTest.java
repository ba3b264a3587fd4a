package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three local sinks write the same image; tags arrive as full references. */
class ImageSinkTest {
  @TempDir Path tmp;

  @Test
  void refNamesAreThePartAfterTheName() {
    assertThat(ImageSink.refNames(List.of("app:1", "registry.example:5000/team/app", "app:2@sha256:00", "app@sha256:00")))
        .containsExactly("1", "latest", "2", "latest");
  }

  @Test
  void aLayoutIsTaggedByRefNameAndArchivesHoldTheSameManifestOrItsDockerForm() throws IOException {
    Image image = OciOutputsTest.smallImage();
    List<String> tags = List.of("registry.example/app:1");
    Descriptor layout = ImageSink.ociLayout(tmp.resolve("layout")).write(image, tags);
    assertThat(OciLayoutReader.open(tmp.resolve("layout")).resolve("1").digest()).isEqualTo(layout.digest());
    assertThat(layout.digest()).isEqualTo(image.manifest().descriptor().digest());
    Descriptor archive = ImageSink.ociArchive(tmp.resolve("oci.tar"), Instant.EPOCH).write(image, tags);
    assertThat(archive.digest()).isEqualTo(layout.digest());
    assertThat(entries(tmp.resolve("oci.tar"))).contains("index.json", "oci-layout");
    Descriptor docker = ImageSink.dockerArchive(tmp.resolve("docker.tar"), Instant.EPOCH).write(image, tags);
    assertThat(docker.digest()).isEqualTo(image.withDockerTypes().manifest().descriptor().digest())
        .isNotEqualTo(layout.digest());
    assertThat(entries(tmp.resolve("docker.tar"))).contains("manifest.json");
  }

  private static List<String> entries(Path tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
