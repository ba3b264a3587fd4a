package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreIndexTest {
  private static final String PREIMAGE = """
      {"parent":"sha256:00","instruction":"RUN make","platform":"linux/amd64"}""";

  @TempDir Path root;

  private static CachedLayer layerOf(StoredBlob blob) {
    return new CachedLayer(blob.digest(), Digest.sha256("uncompressed"), blob.size(),
        "application/vnd.oci.image.layer.v1.tar+gzip");
  }

  @Test
  void cacheRecordRoundTripsWithItsPreimage() throws IOException {
    Store store = Store.open(root);
    StoredBlob layer = store.putBlob("layer bytes".getBytes(StandardCharsets.UTF_8));
    Digest key = Digest.sha256(PREIMAGE);
    CacheRecord written = new CacheRecord(List.of(layerOf(layer)), "{\"Env\":[\"A=1\"]}",
        Map.of("createdBy", "RUN make", "emptyLayer", "false"), PREIMAGE);

    store.record(key, written);

    assertThat(store.lookup(key)).contains(written);
    assertThat(store.lookup(key, PREIMAGE)).as("the caller's preimage, the stored one not decoded")
        .contains(written);
    assertThat(store.preimage(key)).contains(PREIMAGE);
    assertThat(store.cacheKeys()).containsExactly(key);
    assertThat(store.stats().recordsWritten()).isEqualTo(1);
    // A fresh instance (a later build) reads the same record from disk.
    assertThat(Store.open(root).lookup(key)).contains(written);
    assertThat(store.lookup(Digest.sha256("another key"))).isEmpty();
    assertThat(store.preimage(Digest.sha256("another key"))).isEmpty();
  }

  @Test
  void recordWithoutLayersAndIdenticalRewriteWritesNothing() throws IOException {
    Store store = Store.open(root);
    Digest key = Digest.sha256("ENV A=1");
    CacheRecord config = CacheRecord.ofConfig("ENV A=1", "{\"Env\":[\"A=1\"]}")
        .withAttribute("step", "2");

    store.record(key, config);
    store.record(key, config);

    assertThat(store.stats().recordsWritten()).isEqualTo(1);
    assertThat(store.lookup(key)).contains(config);
    assertThat(store.lookup(key).orElseThrow().attributes()).containsEntry("step", "2");
  }

  @Test
  void recordWhoseBlobIsMissingIsAMissButKeepsItsPreimage() throws IOException {
    Store store = Store.open(root);
    Digest absentLayer = Digest.sha256("never stored");
    Digest key = Digest.sha256(PREIMAGE);
    store.record(key, CacheRecord.ofLayer(PREIMAGE,
        new CachedLayer(absentLayer, absentLayer, 12, "application/vnd.oci.image.layer.v1.tar")));

    assertThat(store.lookup(key)).isEmpty();
    assertThat(store.preimage(key)).contains(PREIMAGE);
  }

  @Test
  void recordsAreReplacedAtomicallyAndLeaveNoTemporaryFiles() throws IOException {
    Store store = Store.open(root);
    Digest key = Digest.sha256("k");
    store.record(key, CacheRecord.ofConfig("first", "{}"));
    store.record(key, CacheRecord.ofConfig("second", "{}"));

    assertThat(store.preimage(key)).contains("second");
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
    String json = Files.readString(store.root().resolve("v1/records/sha256/" + key.hex() + ".json"));
    assertThat(json).contains("\"key\" : \"" + key + "\"").contains("\"preimage\" : \"second\"");
  }

  @Test
  void unreadableRecordsAreMissesAndGetReplaced() throws IOException {
    Store store = Store.open(root);
    Digest a = Digest.sha256("a");
    Digest b = Digest.sha256("b");
    store.record(a, CacheRecord.ofConfig("a", "{}"));
    Path dir = store.root().resolve("v1/records/sha256");
    Files.copy(dir.resolve(a.hex() + ".json"), dir.resolve(b.hex() + ".json"));

    assertThat(store.lookup(b)).isEmpty();
    assertThatThrownBy(() -> store.preimage(b)).isInstanceOf(IOException.class)
        .hasMessageContaining("names another key");
    assertThat(store.lookup(a)).isPresent();

    Files.writeString(dir.resolve(b.hex() + ".json"), "{not json");
    assertThat(store.lookup(b)).isEmpty();
    store.record(b, CacheRecord.ofConfig("b", "{}"));
    assertThat(store.lookup(b)).map(CacheRecord::preimage).contains("b");
  }

  @Test
  void recordsWithSeveralLayersAndEscapedTextRoundTrip() throws IOException {
    Store store = Store.open(root);
    StoredBlob one = store.putBlob("one".getBytes(StandardCharsets.UTF_8));
    StoredBlob two = store.putBlob("two".getBytes(StandardCharsets.UTF_8));
    String preimage = "{\"files\":[\"caf\u00e9 \\\"quoted\\\"\",\"tab\\t\u2603\"]}\n";
    Digest key = Digest.sha256(preimage);
    CacheRecord written = new CacheRecord(List.of(layerOf(one), layerOf(two)), "",
        Map.of("a", "x\"y", "b", "\u00fc"), preimage);

    store.record(key, written);

    assertThat(Store.open(root).lookup(key)).contains(written);
  }

  @Test
  void recordsOfTheWrongShapeAreMisses() throws IOException {
    Store store = Store.open(root);
    Path dir = Files.createDirectories(store.root().resolve("v1/records/sha256"));
    Digest key = Digest.sha256("shape");
    String head = "{\"schema\":1,\"key\":\"" + key + "\",";
    for (String body : List.of(
        head + "\"layers\":{},\"config\":\"\",\"attributes\":{},\"preimage\":\"p\"}",
        head + "\"layers\":[],\"config\":\"\",\"attributes\":{}}",
        head + "\"layers\":[{\"digest\":\"sha256:zz\",\"diffId\":\"x\",\"mediaType\":\"m\"}],"
            + "\"config\":\"\",\"attributes\":{},\"preimage\":\"p\"}",
        head + "\"layers\":[],\"config\":7,\"attributes\":{},\"preimage\":\"p\"}",
        head + "\"layers\":[],\"config\":\"\",\"attributes\":{},\"preimage\":[\"p\"]}",
        "{\"schema\":2,\"key\":\"" + key + "\",\"layers\":[],\"config\":\"\",\"preimage\":\"p\"}",
        "[1,2]")) {
      Files.writeString(dir.resolve(key.hex() + ".json"), body);
      assertThat(store.lookup(key)).as(body).isEmpty();
      assertThat(store.lookup(key, "p")).as(body).isEmpty();
      assertThatThrownBy(() -> store.preimage(key)).as(body).isInstanceOf(IOException.class);
    }
    Files.writeString(dir.resolve(key.hex() + ".json"),
        head + "\"layers\":[],\"config\":\"{}\",\"extra\":[{\"x\":1}],\"attributes\":{},\"preimage\":\"p\"}");
    assertThat(store.preimage(key)).contains("p");
  }

  @Test
  void tagsResolveListAndUntag() throws IOException {
    Store store = Store.open(root);
    Digest m1 = store.putBlob("{\"manifest\":1}".getBytes(StandardCharsets.UTF_8)).digest();
    Digest m2 = store.putBlob("{\"manifest\":2}".getBytes(StandardCharsets.UTF_8)).digest();

    store.tag("example.com/team/app:1.0", m1);
    store.tag("app", m1);
    store.tag("app", m2);

    assertThat(store.resolve("example.com/team/app:1.0")).contains(m1);
    assertThat(store.resolve("app")).contains(m2);
    assertThat(store.resolve("unknown")).isEmpty();
    assertThat(store.tags()).containsExactly(Map.entry("app", m2),
        Map.entry("example.com/team/app:1.0", m1));
    assertThat(store.untag("app")).isTrue();
    assertThat(store.untag("app")).isFalse();
    assertThat(store.tags()).containsOnlyKeys("example.com/team/app:1.0");
    assertThat(store.stats().tagsWritten()).isEqualTo(3);
  }

  @Test
  void taggingRequiresTheManifestBlobAndAProperName() throws IOException {
    Store store = Store.open(root);
    Digest m = store.putBlob(new byte[] {'{', '}'}).digest();
    assertThatThrownBy(() -> store.tag("app", Digest.sha256("nope")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.tag("bad\nname", m)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.tag("", m)).isInstanceOf(IllegalArgumentException.class);
  }
}
