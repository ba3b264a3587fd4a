package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

  @Test
  void pomEntriesWithEmptyElementsReadAsEmptyStrings() {
    Map<String, String> pom = new LinkedHashMap<>();
    pom.put("A", "1");
    pom.put("EMPTY", null);
    assertThat(KeyValues.merge(pom, new Properties(), "gantry.buildArgs")).containsExactly(
        Map.entry("A", "1"), Map.entry("EMPTY", ""));
  }

  @Test
  void theUserPropertyAddsAndOverridesEntries() {
    Properties props = new Properties();
    props.setProperty("gantry.labels", "a=x, b = y=z,c=");
    Map<String, String> pom = new HashMap<>(Map.of("a", "pom"));
    assertThat(KeyValues.merge(pom, props, "gantry.labels")).containsExactly(
        Map.entry("a", "x"), Map.entry("b", " y=z"), Map.entry("c", ""));
    assertThat(KeyValues.merge(null, props, "gantry.buildArgs")).isEmpty();
    assertThat(KeyValues.merge(null, null, "gantry.labels")).isEmpty();
  }

  @Test
  void entriesNeedANameAndAnEqualsSign() {
    Properties props = new Properties();
    props.setProperty("gantry.buildArgs", "A=1,B");
    assertThatThrownBy(() -> KeyValues.merge(null, props, "gantry.buildArgs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dgantry.buildArgs needs KEY=VALUE entries separated by commas, got 'B'");
    props.setProperty("gantry.buildArgs", "=1");
    assertThatThrownBy(() -> KeyValues.merge(null, props, "gantry.buildArgs"))
        .isInstanceOf(IllegalArgumentException.class);
    Map<String, String> pom = new HashMap<>();
    pom.put(" ", "x");
    assertThatThrownBy(() -> KeyValues.merge(pom, null, "gantry.labels"))
        .hasMessage("gantry.labels has an entry without a name");
  }
}
