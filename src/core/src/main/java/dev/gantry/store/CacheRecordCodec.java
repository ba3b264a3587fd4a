package dev.gantry.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.gantry.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link CacheRecord} file: {@code {"schema":1,"key":...,"layers":[{"digest",
 * "diffId","size","mediaType"[,"source"]}],"config":...,"attributes":{...},"preimage":...}}, written with a
 * fixed field order so equal records give equal bytes. Read and written with Jackson's streaming
 * parser and generator (a cache hit reads a record, and needs no object mapper set up for it).
 */
final class CacheRecordCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int SCHEMA = 1;

  private CacheRecordCodec() {}

  static byte[] encode(Digest key, CacheRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeNumberField("schema", SCHEMA);
      g.writeStringField("key", key.toString());
      g.writeArrayFieldStart("layers");
      for (CachedLayer layer : record.layers()) {
        g.writeStartObject();
        g.writeStringField("digest", layer.digest().toString());
        g.writeStringField("diffId", layer.diffId().toString());
        g.writeNumberField("size", layer.size());
        g.writeStringField("mediaType", layer.mediaType());
        if (layer.source() != null) {
          g.writeStringField("source", layer.source());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("config", record.configJson());
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> a : record.attributes().entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
      g.writeStringField("preimage", record.preimage());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a cache record", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a record file, checking it belongs to {@code key}; with a non-null {@code known}
   * preimage (the caller's, whose sha256 the key is) the stored one is checked to be text but not
   * decoded.
   */
  static CacheRecord decode(Digest key, byte[] bytes, String known) throws IOException {
    int schema = -1;
    String recordKey = null;
    String config = null;
    String preimage = null;
    List<CachedLayer> layers = null;
    Map<String, String> attributes = new TreeMap<>();
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, key);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "schema" -> schema = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
          case "key" -> recordKey = text(p, value, key, field);
          case "config" -> config = text(p, value, key, field);
          // the caller's copy when it has one: the stored text is skipped, not decoded
          case "preimage" -> preimage = known != null && value == JsonToken.VALUE_STRING ? known
              : text(p, value, key, field);
          case "layers" -> layers = layers(p, value, key);
          case "attributes" -> {
            expect(p, value, JsonToken.START_OBJECT, key);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              attributes.put(name, p.getValueAsString(""));
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException("malformed cache record for " + key + ": " + e.getOriginalMessage(), e);
    }
    if (schema != SCHEMA) {
      throw new MalformedRecordException("unsupported cache record for " + key);
    }
    if (!key.toString().equals(recordKey)) {
      throw new MalformedRecordException("cache record for " + key + " names another key: " + recordKey);
    }
    if (config == null || preimage == null) {
      throw new MalformedRecordException("malformed cache record for " + key
          + ": missing text field " + (config == null ? "config" : "preimage"));
    }
    return new CacheRecord(layers == null ? List.of() : layers, config, attributes, preimage);
  }

  private static List<CachedLayer> layers(JsonParser p, JsonToken value, Digest key) throws IOException {
    expect(p, value, JsonToken.START_ARRAY, key);
    List<CachedLayer> layers = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String digest = null;
      String diffId = null;
      String mediaType = null;
      String source = null;
      long size = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "digest" -> digest = text(p, v, key, field);
          case "diffId" -> diffId = text(p, v, key, field);
          case "mediaType" -> mediaType = text(p, v, key, field);
          case "source" -> source = text(p, v, key, field);
          case "size" -> size = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          default -> p.skipChildren();
        }
      }
      if (digest == null || diffId == null || mediaType == null) {
        throw new MalformedRecordException("malformed cache record for " + key + ": incomplete layer");
      }
      try {
        layers.add(new CachedLayer(Digest.parse(digest), Digest.parse(diffId), size, mediaType, source));
      } catch (IllegalArgumentException e) {
        throw new MalformedRecordException("malformed cache record for " + key + ": " + e.getMessage(), e);
      }
    }
    return layers;
  }

  private static void expect(JsonParser p, JsonToken got, JsonToken wanted, Digest key)
      throws MalformedRecordException {
    if (got != wanted) {
      throw new MalformedRecordException("malformed cache record for " + key + ": expected "
          + wanted.asString() + " at " + p.currentLocation().getCharOffset());
    }
  }

  private static String text(JsonParser p, JsonToken value, Digest key, String field) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw new MalformedRecordException("malformed cache record for " + key + ": field " + field
          + " is not text");
    }
    return p.getText();
  }

  /** A record file that cannot be decoded. */
  static final class MalformedRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String message) {
      super(message);
    }

    MalformedRecordException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
