package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageNamesTest {

  @Test
  void bareTagsApplyToTheRepositoryOfImage() {
    assertThat(ImageNames.references("registry.example:5000/team/app:1.0", List.of("latest", "1")))
        .containsExactly("registry.example:5000/team/app:1.0", "registry.example:5000/team/app:latest",
            "registry.example:5000/team/app:1");
  }

  @Test
  void aRegistryPortIsNotATag() {
    assertThat(ImageNames.repository("localhost:5000/app")).isEqualTo("localhost:5000/app");
    assertThat(ImageNames.repository("localhost:5000/app:2")).isEqualTo("localhost:5000/app");
    assertThat(ImageNames.repository("app@sha256:0123")).isEqualTo("app");
    assertThat(ImageNames.references("localhost:5000/app", List.of("2")))
        .containsExactly("localhost:5000/app", "localhost:5000/app:2");
  }

  @Test
  void fullReferencesAreKeptAndDuplicatesDropped() {
    assertThat(ImageNames.references("app:1", Arrays.asList("other/app:x", "1", " ", null, "app:1")))
        .containsExactly("app:1", "other/app:x");
    assertThat(ImageNames.references(null, List.of("app:2"))).containsExactly("app:2");
  }

  @Test
  void noImageAndNoTagsMeansUntagged() {
    assertThat(ImageNames.references(null, null)).isEmpty();
    assertThat(ImageNames.references(" ", List.of())).isEmpty();
  }

  @Test
  void aBareTagNeedsAnImage() {
    assertThatThrownBy(() -> ImageNames.references(null, List.of("latest")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag 'latest' needs the image parameter (gantry.image)");
  }
}
