package dev.gantry.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads JSON text into Jackson's tree with the streaming parser and the node factory alone, as an
 * {@code ObjectMapper} with {@code USE_BIG_INTEGER_FOR_INTS} and {@code USE_BIG_DECIMAL_FOR_FLOATS}
 * reads it (the same nodes; {@code JsonTreesTest} compares them): setting a mapper up (its date
 * format, calendar and time-zone data, annotation introspection) cost every CLI start about 20 ms of
 * CPU. Integers are exact, decimals exact without trailing zeros, a repeated key keeps its last
 * value, and what follows the first value is not read.
 */
final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The tree of {@code json}, or a missing node when it holds no value. */
  static JsonNode read(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      return first(p);
    }
  }

  /** As {@link #read(byte[])}, for text. */
  static JsonNode read(String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      return first(p);
    }
  }

  private static JsonNode first(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    return t == null ? MissingNode.getInstance() : value(p, t);
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (String name; (name = p.nextFieldName()) != null; ) {
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(p.getBigIntegerValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        BigDecimal d = p.getDecimalValue();
        return NODES.numberNode(d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new JsonParseException(p, "Unexpected token (" + t + ")");
    }
  }
}
