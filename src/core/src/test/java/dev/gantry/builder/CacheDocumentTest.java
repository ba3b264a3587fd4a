package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.plan.CacheKey;
import dev.gantry.store.CachedLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The cache document: deterministic bytes, a lossless round trip, and refusals that name the problem. */
class CacheDocumentTest {
  private static final Digest PARENT = Digest.sha256("parent");
  private static final CacheKey COPY = CacheKey.of(new TreeMap<>(Map.of("parent", PARENT.toString(),
      "instruction", "COPY a /a", "inputs", Map.of("files", List.of(Map.of("path", "a", "sha256", "x"))))));
  private static final CacheKey ENV = CacheKey.of(new TreeMap<>(Map.of("parent", COPY.digest().toString(),
      "instruction", "ENV A=1")));

  private static final Map<Digest, Descriptor> INDEXES = Map.of(Digest.sha256("tar"),
      Descriptor.of(CacheDocument.INDEX_TYPE, Digest.sha256("index"), 77));

  private static CacheDocument document(List<CacheDocument.Entry> entries) {
    return new CacheDocument(entries, INDEXES);
  }

  private static CacheDocument.Entry copy() {
    CachedLayer layer = new CachedLayer(Digest.sha256("blob"), Digest.sha256("tar"), 123,
        "application/vnd.oci.image.layer.v1.tar+gzip");
    return new CacheDocument.Entry(COPY.digest(), PARENT.toString(), COPY.preimage().length(), List.of(layer), "",
        Map.of());
  }

  private static CacheDocument.Entry env() {
    return new CacheDocument.Entry(ENV.digest(), COPY.digest().toString(), ENV.preimage().length(), List.of(), "{}",
        Map.of("empty", "true"));
  }

  @Test
  void entriesAreWrittenInKeyOrderAndReadBackUnchanged() throws IOException {
    byte[] one = document(List.of(copy(), env())).toJson();
    byte[] other = document(List.of(env(), copy())).toJson();
    assertThat(one).isEqualTo(other);
    CacheDocument read = CacheDocument.parse(one);
    assertThat(read.entries()).containsExactlyInAnyOrder(copy(), env());
    assertThat(read.indexes()).isEqualTo(INDEXES);
    assertThat(new String(one, StandardCharsets.UTF_8)).startsWith("{\"version\":1,\"records\":[");
  }

  @Test
  void theParentOfAPreimageIsReadWithoutTheRest() throws IOException {
    assertThat(CacheDocument.parentOf(ENV.preimage())).isEqualTo(COPY.digest().toString());
    assertThat(CacheDocument.parentOf("{\"instruction\":\"FROM\"}")).isEmpty();
  }

  @Test
  void documentsOfAnotherVersionOrWithABadRecordAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> CacheDocument.parse("{\"version\":2,\"records\":[]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the cache document has version 2, this Gantry reads 1");
    String bad = new String(document(List.of(copy())).toJson(), StandardCharsets.UTF_8).replace("\"size\":123",
        "\"size\":-5");
    assertThatThrownBy(() -> CacheDocument.parse(bad.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("malformed cache record " + COPY.digest() + ": field size is not a size");
    assertThatThrownBy(() -> CacheDocument.parse("[]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the cache document is not a JSON object");
  }
}
