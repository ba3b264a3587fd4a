package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceDateEpochTest {

  @Test
  void readsSecondsSinceTheEpoch() {
    assertThat(SourceDateEpoch.parse("1704067200")).isEqualTo(1704067200L);
    assertThat(SourceDateEpoch.parse(" 10 ")).isEqualTo(10L);
  }

  @Test
  void readsIsoDateTimesWithAnOffset() {
    assertThat(SourceDateEpoch.parse("2024-01-01T00:00:00Z")).isEqualTo(1704067200L);
    assertThat(SourceDateEpoch.parse("2024-01-01T01:00:00+01:00")).isEqualTo(1704067200L);
    assertThat(SourceDateEpoch.parse("1980-01-01T00:00:02Z")).isEqualTo(315532802L);
    assertThat(SourceDateEpoch.parse("2024-01-01T00:00:00.900Z")).isEqualTo(1704067200L);
  }

  @Test
  void unsetValuesMeanNoTimestamp() {
    assertThat(SourceDateEpoch.parse(null)).isNull();
    assertThat(SourceDateEpoch.parse("")).isNull();
    assertThat(SourceDateEpoch.parse("  ")).isNull();
    // Maven's archivers treat a one-character outputTimestamp as "disabled"
    assertThat(SourceDateEpoch.parse("a")).isNull();
  }

  @Test
  void rejectsOtherForms() {
    assertThatThrownBy(() -> SourceDateEpoch.parse("2024-01-01T00:00:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'2024-01-01T00:00:00'")
        .hasMessageContaining("2024-01-01T00:00:00Z");
    assertThatThrownBy(() -> SourceDateEpoch.parse("yesterday")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceDateEpoch.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceDateEpoch.parse("1969-12-31T23:59:59Z"))
        .hasMessageContaining("before 1970");
  }
}
