package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
  @ParameterizedTest
  @CsvSource({
      "linux/amd64, linux/amd64",
      "linux/x86_64, linux/amd64",
      "Linux/X86-64, linux/amd64",
      "linux/aarch64, linux/arm64",
      "linux/arm64/v8, linux/arm64",
      "linux/aarch64/8, linux/arm64",
      "linux/arm64/v9.0, linux/arm64/v9",
      "linux/armhf, linux/arm/v7",
      "linux/armel, linux/arm/v6",
      "linux/arm, linux/arm/v7",
      "linux/arm/6, linux/arm/v6",
      "linux/i386, linux/386",
      "linux/amd64/v1, linux/amd64",
      "linux/amd64/v3, linux/amd64/v3",
      "arm64, linux/arm64",
      "macos/arm64, darwin/arm64",
      "linux/arm64/v8.2, linux/arm64/v8.2",
      "windows/amd64, windows/amd64",
      "linux/riscv64, linux/riscv64",
      "linux/ppc64le, linux/ppc64le",
      "linux/s390x, linux/s390x",
      "aarch64, linux/arm64",
  })
  void normalisesLikeContainerd(String spec, String expected) {
    assertThat(Platform.parse(spec).toString()).isEqualTo(expected);
  }

  @Test
  void rejectsMalformed() {
    assertThatThrownBy(() -> Platform.parse("linux//v7")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Platform.parse("a/b/c/d")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "linux/amd64,linux/arm64 | \"linux/amd64,linux/arm64\" names 2 platforms",
      "linux/amd65 | \"linux/amd65\" has an unknown architecture \"amd65\"",
      "lnux/amd64 | \"lnux/amd64\" has an unknown operating system \"lnux\"",
      "linux/arm/v9 | \"linux/arm/v9\" has an unknown arm variant \"v9\" (known: v5, v6, v7, v8)",
      "linux/amd64/v5 | \"linux/amd64/v5\" has an unknown amd64 variant",
      "linux/arm64/v7 | \"linux/arm64/v7\" has an unknown arm64 variant",
      "linux/amd 64 | \"linux/amd 64\" is not os/arch[/variant]",
      "linux/ | \"linux/\" is not os/arch[/variant]: a part is empty",
      "x | \"x\" has an unknown architecture \"x\"",
  })
  void rejectsWhatNamesNoSinglePlatform(String spec, String message) {
    assertThatThrownBy(() -> Platform.parse(spec)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void currentIsNormalised() {
    Platform p = Platform.current();
    assertThat(p.architecture()).isNotIn("x86_64", "aarch64");
    assertThat(p.os()).isNotEmpty();
  }
}
