package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapper-free tree reader yields exactly the nodes the mapper Gantry used before yields. */
class JsonTreesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static final List<String> DOCUMENTS = List.of(
      "{}", "[]", "  {\"a\":1}  ", "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":true,\"e\":false}",
      "{\"n\":0}", "{\"n\":-0}", "{\"n\":7}", "{\"n\":-12}", "{\"n\":12345678901234567890123456789}",
      "{\"n\":1.0}", "{\"n\":1.50}", "{\"n\":0.0}", "{\"n\":-0.0}", "{\"n\":0.000}", "{\"n\":1e3}",
      "{\"n\":1E-3}", "{\"n\":1.000e10}", "{\"n\":1e+2}", "{\"n\":100.10}", "{\"n\":-2.5e-7}",
      "{\"n\":3.141592653589793238462643383279}", "{\"n\":[1,1.0,1.00,10,1e1]}",
      "{\"s\":\"caf\\u00e9 \\\"q\\\" \\n \\t \\/ \\ud83d\\ude00\"}", "{\"dup\":1,\"dup\":2}",
      "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "\"text\"", "42", "null", "true", "",
      "   ", "[[[[[[[[[[1]]]]]]]]]]", "{\"\":\"\"}");
  private static final List<String> INVALID = List.of("{", "{\"a\":}", "[1,]", "{a:1}", "{\"a\":1,}",
      "{\"a\":NaN}", "{\"a\":'x'}", "[1 2]", "{\"a\" 1}", "\u0000");

  @Test
  void readsWhatTheMapperReads() throws Exception {
    for (String doc : DOCUMENTS) {
      JsonNode expected = MAPPER.readTree(doc);
      assertThat(dump(JsonTrees.read(doc))).as(doc).isEqualTo(dump(expected));
      assertThat(dump(JsonTrees.read(doc.getBytes(StandardCharsets.UTF_8)))).as(doc)
          .isEqualTo(dump(MAPPER.readTree(doc.getBytes(StandardCharsets.UTF_8))));
    }
  }

  @Test
  void refusesWhatTheMapperRefuses() {
    for (String doc : INVALID) {
      assertThatThrownBy(() -> MAPPER.readTree(doc)).as(doc).isInstanceOf(JsonProcessingException.class);
      assertThatThrownBy(() -> JsonTrees.read(doc)).as(doc).isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  void numbersKeepTheirValueThroughAConfigReencoding() {
    ImageConfig c = Json.readConfig(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"x-extra\":{\"f\":1.50,\"i\":12345678901234567890,\"e\":1e3}}")
        .getBytes(StandardCharsets.UTF_8));
    String written = new String(Json.write(c), StandardCharsets.UTF_8);
    assertThat(written).contains("\"x-extra\":{\"e\":1E+3,\"f\":1.5,\"i\":12345678901234567890}");
  }

  /** Every node with its class and, for numbers, the exact text of its value. */
  private static String dump(JsonNode n) {
    StringBuilder sb = new StringBuilder(n.getClass().getSimpleName());
    if (n.isObject()) {
      sb.append('{');
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sb.append(e.getKey()).append('=').append(dump(e.getValue())).append(',');
      }
      return sb.append('}').toString();
    }
    if (n.isArray()) {
      sb.append('[');
      n.forEach(e -> sb.append(dump(e)).append(','));
      return sb.append(']').toString();
    }
    if (n.isBigDecimal()) {
      return sb.append(':').append(n.decimalValue().toString()).toString();
    }
    return sb.append(':').append(n.asText()).toString();
  }
}
