package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /** Input, then registry, repository, tag and digest ({@code -} for none). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // plain names and Docker Hub normalisation
      "ubuntu                              | docker.io               | library/ubuntu       | latest | -",
      "library/ubuntu                      | docker.io               | library/ubuntu       | latest | -",
      "docker.io/ubuntu                    | docker.io               | library/ubuntu       | latest | -",
      "docker.io/library/ubuntu            | docker.io               | library/ubuntu       | latest | -",
      "index.docker.io/ubuntu              | docker.io               | library/ubuntu       | latest | -",
      "registry-1.docker.io/ubuntu         | docker.io               | library/ubuntu       | latest | -",
      "registry.hub.docker.com/ubuntu      | registry.hub.docker.com | ubuntu               | latest | -",
      "user/app                            | docker.io               | user/app             | latest | -",
      "a/b/c/d                             | docker.io               | a/b/c/d              | latest | -",
      // a first component is a registry when it has a dot or a colon or is localhost
      "localhost/x                         | localhost               | x                    | latest | -",
      "localhost:5000/x                    | localhost:5000          | x                    | latest | -",
      "myhost:5000/x                       | myhost:5000             | x                    | latest | -",
      "my-host/x                           | docker.io               | my-host/x            | latest | -",
      "127.0.0.1:5000/a/b/c                | 127.0.0.1:5000          | a/b/c                | latest | -",
      "Reg.Example.com/x                   | Reg.Example.com         | x                    | latest | -",
      "r-1.example.com:443/team/app        | r-1.example.com:443     | team/app             | latest | -",
      "my_host.com/x                       | docker.io               | my_host.com/x        | latest | -",
      // no path: a colon is a tag
      "localhost:5000                      | docker.io               | library/localhost    | 5000   | -",
      "host:5000                           | docker.io               | library/host         | 5000   | -",
      // separators inside path components
      "a_b/c-d/e.f/g__h/i---j              | docker.io               | a_b/c-d/e.f/g__h/i---j | latest | -",
      "r.example/a0.b1_c2--d3              | r.example               | a0.b1_c2--d3         | latest | -",
      // tags
      "ubuntu:22.04                        | docker.io               | library/ubuntu       | 22.04  | -",
      "x:_a                                | docker.io               | library/x            | _a     | -",
      "x:A-b.C_d                           | docker.io               | library/x            | A-b.C_d | -",
      "localhost:5000/x:v1                 | localhost:5000          | x                    | v1     | -",
      // digests, alone and with a tag
      "x@sha256:" + HEX + "                | docker.io               | library/x            | -      | sha256:" + HEX,
      "r.example:5000/a/b:t@sha256:" + HEX + " | r.example:5000      | a/b                  | t      | sha256:" + HEX,
      // the empty image
      "scratch                             | ''                      | scratch              | latest | -",
  })
  void parsesTheReferenceGrammar(String input, String registry, String repository, String tag, String digest) {
    assertThat(ImageReference.parse(input)).isEqualTo(new ImageReference(registry, repository, tag, digest));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "ubuntu ", " ubuntu", "ubu ntu", "ubuntu\t", "Ubuntu", "docker.io/Ubuntu", "r.example/A/b",
      ":tag", "x:", "x@", "x:@sha256:" + HEX, "a:b:c", "x:-a", "x:.a", "x:a/b", "x:a+b",
      "ubuntu/", "/ubuntu", "a//b", "docker.io/", "-a", "a-", "_a", "a_", "a___b", "a..b", "a._b", "a/-b",
      "x@sha256:abc", "x@sha256:" + HEX + "0",
      "x@sha256:0123456789ABCDEF" + "0123456789abcdef0123456789abcdef0123456789abcdef",
      "x@sha512:" + HEX + HEX, "x@md5:0123456789abcdef0123456789abcdef", "x@" + HEX,
      "x@sha256:" + HEX + "@sha256:" + HEX,
      "[::1]:5000/x", "[::1]/x", "-host.com/x", "host-.com/x", "host:/x", "a.b:port/x", "a.b:5000:6000/x",
      "localhost:5000/", "ubuntu\n\n", "\nubuntu",
  })
  void refusesWhatTheGrammarRefuses(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid image reference: \"" + input + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UPPER/case", "Me/app:v1", "LOCALHOST/x", "aB/c@sha256:" + HEX})
  void hintsThatRepositoriesAreLowerCase(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid image reference: \"" + input + "\" (repository names are lower case)");
  }

  @Test
  void boundsTagsAt128Characters() {
    String tag = "t" + "a".repeat(127);
    assertThat(ImageReference.parse("x:" + tag).tag()).isEqualTo(tag);
    assertThatThrownBy(() -> ImageReference.parse("x:" + tag + "a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void takesLongNamesWhole() {
    String at255 = "r.example/" + "a".repeat(245);
    assertThat(at255).hasSize(255);
    assertThat(ImageReference.parse(at255 + ":t"))
        .isEqualTo(new ImageReference("r.example", "a".repeat(245), "t", null));
    String longer = "r.example/" + "a/".repeat(200) + "b";
    assertThat(ImageReference.parse(longer).repository()).isEqualTo("a/".repeat(200) + "b");
  }

  @Test
  void toleratesOneTrailingLineEnd() {
    for (String end : new String[] {"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029"}) {
      assertThat(ImageReference.parse("r.example/x:t" + end))
          .isEqualTo(new ImageReference("r.example", "x", "t", null));
    }
    for (String bad : new String[] {"x\n\r", "x\r\r", "x\n ", "x\n:t"}) {
      assertThatThrownBy(() -> ImageReference.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
