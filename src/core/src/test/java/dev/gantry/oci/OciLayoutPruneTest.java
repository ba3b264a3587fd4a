package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layout's blobs that its index no longer reaches are removed once they are old enough; nothing else is. */
class OciLayoutPruneTest {
  private static final Duration GRACE = Duration.ofMinutes(10);

  @TempDir Path dir;

  private static Image image(String name) {
    ImageConfig cfg = ImageConfig.empty(Platform.parse("linux/amd64")).withCreated(Instant.EPOCH)
        .withConfig(ContainerConfig.EMPTY.withLabels(Map.of("name", name)));
    Blob layer = Blobs.of(MediaType.OCI_LAYER_TAR, ("layer of " + name).getBytes(StandardCharsets.UTF_8));
    return Image.oci(cfg, List.of(layer));
  }

  private static List<Digest> digests(Image image) {
    return image.blobs().stream().map(b -> b.descriptor().digest()).toList();
  }

  private void age() throws Exception {
    try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
      for (Path b : (Iterable<Path>) blobs::iterator) {
        Files.setLastModifiedTime(b, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
      }
    }
  }

  private boolean has(Digest d) {
    return Files.exists(OciLayoutWriter.blobPath(dir, d));
  }

  @Test
  void removesWhatNoTagReachesOnceOld() throws Exception {
    OciLayoutWriter layout = OciLayoutWriter.at(dir);
    Image first = image("first");
    Image second = image("second");
    Image other = image("other");
    layout.write(first, List.of("cache"));
    layout.write(other, List.of("other"));
    layout.write(second, List.of("cache"));

    // too recent: a writer may still be on its way to the index
    assertThat(layout.pruneUnreferenced(GRACE)).isEqualTo(new OciLayoutWriter.Pruned(0, 0));
    assertThat(digests(first)).allMatch(this::has);

    age();
    OciLayoutWriter.Pruned pruned = layout.pruneUnreferenced(GRACE);
    assertThat(pruned.blobs()).isEqualTo(3); // the first image's manifest, config and layer
    assertThat(pruned.bytes()).isEqualTo(first.blobs().stream().mapToLong(b -> b.descriptor().size()).sum());
    assertThat(digests(first)).noneMatch(this::has);
    assertThat(digests(second)).allMatch(this::has);
    assertThat(digests(other)).allMatch(this::has);
    OciLayoutReader reader = OciLayoutReader.open(dir);
    assertThat(reader.image("cache").manifest().descriptor().digest()).isEqualTo(second.manifest().descriptor().digest());
    assertThat(reader.image("other").manifest().descriptor().digest()).isEqualTo(other.manifest().descriptor().digest());
  }

  @Test
  void keepsBlobsOfAWriterInFlight() throws Exception {
    OciLayoutWriter layout = OciLayoutWriter.at(dir);
    Image kept = image("kept");
    layout.write(kept, List.of("cache"));
    Image unreferenced = image("gone");
    for (Blob b : unreferenced.blobs()) {
      layout.writeBlob(b);
    }
    age();
    // another writer reuses an old unreferenced blob (and is about to tag it): it is marked recent
    Blob reused = unreferenced.layers().get(0);
    layout.writeBlob(reused);
    layout.pruneUnreferenced(GRACE);
    assertThat(has(reused.descriptor().digest())).isTrue();
    assertThat(has(unreferenced.config().descriptor().digest())).isFalse();
    assertThat(digests(kept)).allMatch(this::has);
  }

  @Test
  void deletesNothingWhenAReachableBlobCannotBeRead() throws Exception {
    OciLayoutWriter layout = OciLayoutWriter.at(dir);
    Image first = image("first");
    layout.write(first, List.of("cache"));
    layout.write(image("second"), List.of("cache"));
    layout.write(image("third"), List.of("other"));
    Files.delete(OciLayoutWriter.blobPath(dir, image("third").manifest().descriptor().digest()));
    age();
    assertThat(layout.pruneUnreferenced(GRACE)).isEqualTo(new OciLayoutWriter.Pruned(0, 0));
    assertThat(digests(first)).allMatch(this::has);
  }
}
