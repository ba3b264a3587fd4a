package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The two rule sets of the one JSON writer; the canonical text is what every cache key hashes. */
class JsonTextTest {
  private static final String TRICKY = "q\"b\\n\nr\rt\tB\bF\fD\u007fL<G>A&S\u2028H\ud800\u00e9\ud83d\ude00\u0001";

  @Test
  void canonicalTextIsPinned() {
    Map<Object, Object> doc = new LinkedHashMap<>();
    doc.put("b", TRICKY);
    doc.put("a", Arrays.asList(1, 2L, true, null, 1.5));
    doc.put(7, Instant.ofEpochSecond(1, 500));
    doc.put("Z", new TreeSet<>(List.of("y", "x")));
    doc.put("\u00e9", Map.of());
    doc.put("\ud83d\ude00", "\uff01");
    doc.put("\uff01", 1);
    // Keys in Java string order (U+1F600 before U+FF01), only quotes, backslashes, controls and DEL escaped.
    assertThat(JsonText.canonical(doc)).isEqualTo("{\"7\":\"1970-01-01T00:00:01.000000500Z\",\"Z\":[\"x\",\"y\"],"
        + "\"a\":[1,2,true,null,1.5],\"b\":\"q\\\"b\\\\n\\nr\\rt\\tB\\u0008F\\u000cD\\u007fL<G>A&S\u2028H\ud800\u00e9"
        + "\ud83d\ude00\\u0001\",\"\u00e9\":{},\"\ud83d\ude00\":\"\uff01\",\"\uff01\":1}");
  }

  @Test
  void goTextEscapesAsEncodingJson() {
    assertThat(JsonText.write(List.of(TRICKY))).isEqualTo("[\"q\\\"b\\\\n\\nr\\rt\\tB\\bF\\fD\u007fL\\u003cG\\u003eA\\u0026S"
        + "\\u2028H\\ufffd\u00e9\ud83d\ude00\\u0001\"]");
  }
}
