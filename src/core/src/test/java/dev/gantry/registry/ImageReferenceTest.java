package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** References are normalised as docker normalises them. */
class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ubuntu                            | docker.io/library/ubuntu:latest",
      "ubuntu:22.04                      | docker.io/library/ubuntu:22.04",
      "library/ubuntu                    | docker.io/library/ubuntu:latest",
      "docker.io/ubuntu                  | docker.io/library/ubuntu:latest",
      "index.docker.io/library/ubuntu:1  | docker.io/library/ubuntu:1",
      "user/app:v1                       | docker.io/user/app:v1",
      "localhost:5000/x                  | localhost:5000/x:latest",
      "localhost/x:2                     | localhost/x:2",
      "127.0.0.1:5000/a/b/c:t            | 127.0.0.1:5000/a/b/c:t",
      "ghcr.io/o/r@sha256:0123456789012345678901234567890123456789012345678901234567890123"
          + " | ghcr.io/o/r@sha256:0123456789012345678901234567890123456789012345678901234567890123",
      "reg.example:443/r:t@sha256:0123456789012345678901234567890123456789012345678901234567890123"
          + " | reg.example:443/r:t@sha256:0123456789012345678901234567890123456789012345678901234567890123",
  })
  void normalisesLikeDocker(String input, String expected) {
    assertThat(ImageReference.parse(input)).hasToString(expected);
  }

  @ParameterizedTest
  @CsvSource({"localhost:5000/x,true", "127.0.0.1:5000/x,true", "localhost/x,true", "reg.example:5000/x,false",
      "ubuntu,false"})
  void knowsLoopbackRegistries(String input, boolean loopback) {
    assertThat(ImageReference.parse(input).isLoopback()).isEqualTo(loopback);
  }

  @ParameterizedTest
  @CsvSource({"ubuntu,registry-1.docker.io,latest", "localhost:5000/x:t,localhost:5000,t",
      "r.example/x@sha256:0123456789012345678901234567890123456789012345678901234567890123,r.example,"
          + "sha256:0123456789012345678901234567890123456789012345678901234567890123"})
  void asksTheEndpointForTheQualifier(String input, String endpoint, String qualifier) {
    ImageReference r = ImageReference.parse(input);
    assertThat(r.endpoint()).isEqualTo(endpoint);
    assertThat(r.qualifier()).isEqualTo(qualifier);
  }

  @ParameterizedTest
  @CsvSource({"UPPER/case", "a:b:c", "x@sha256:abc", "''"})
  void refusesInvalidReferences(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid image reference");
  }
}
