package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Digest;
import dev.gantry.oci.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBlobTest {
  @TempDir Path root;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putThenReadRoundTripsAndLaysOutByDigest() throws IOException {
    Store store = Store.open(root);
    StoredBlob stored = store.putBlob(bytes("hello"));

    assertThat(stored.digest()).isEqualTo(Digest.sha256("hello"));
    assertThat(stored.size()).isEqualTo(5);
    assertThat(stored.created()).isTrue();
    assertThat(store.hasBlob(stored.digest())).isTrue();
    assertThat(store.size(stored.digest())).isEqualTo(5);
    assertThat(store.readBlob(stored.digest())).isEqualTo(bytes("hello"));
    assertThat(store.blobPath(stored.digest()))
        .isEqualTo(store.root().resolve("v1/blobs/sha256").resolve(stored.digest().hex()));
    assertThat(store.blobs()).containsExactly(stored.digest());
  }

  @Test
  void secondWriteOfTheSameContentWritesNothing() throws IOException {
    Store store = Store.open(root);
    store.putBlob(bytes("layer"));
    StoreStats afterFirst = store.stats();
    StoredBlob again = store.putBlob(new ByteArrayInputStream(bytes("layer")));

    assertThat(again.created()).isFalse();
    assertThat(afterFirst.blobsWritten()).isEqualTo(1);
    assertThat(afterFirst.bytesWritten()).isEqualTo(5);
    assertThat(store.stats().blobsWritten()).isEqualTo(1);
    assertThat(store.stats().bytesWritten()).isEqualTo(5);
    assertThat(store.stats().blobsReused()).isEqualTo(1);
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
  }

  @Test
  void abandonedWriterLeavesNothingVisible() throws IOException {
    Store store = Store.open(root);
    Digest digest = Digest.sha256("partial content");
    BlobWriter writer = store.newBlobWriter();
    writer.write(bytes("partial content"));
    writer.flush();

    assertThat(store.hasBlob(digest)).isFalse();
    assertThat(store.blobs()).isEmpty();
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).hasSize(1);

    writer.close();
    assertThat(store.hasBlob(digest)).isFalse();
    assertThat(store.blobs()).isEmpty();
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
    assertThat(store.stats().blobsWritten()).isZero();
    assertThatThrownBy(() -> writer.write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void commitWithAnExpectedDigestRefusesOtherContent() throws IOException {
    Store store = Store.open(root);
    Digest expected = Digest.sha256("what the registry promised");
    BlobWriter writer = store.newBlobWriter();
    writer.write(bytes("what the registry sent"));

    assertThatThrownBy(() -> writer.commit(expected))
        .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
          assertThat(e.expected()).isEqualTo(expected);
          assertThat(e.actual()).isEqualTo(Digest.sha256("what the registry sent"));
        });
    assertThat(store.blobs()).isEmpty();
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();

    StoredBlob ok = store.putBlob(new ByteArrayInputStream(bytes("what the registry promised")),
        expected);
    assertThat(ok.digest()).isEqualTo(expected);
  }

  private static VerifyingInputStream verifying(String content, Digest expected) {
    return VerifyingInputStream.of(new ByteArrayInputStream(bytes(content)), expected,
        (actual, size) -> new IOException("blob " + expected + " has the wrong content (its digest is " + actual + ")"));
  }

  @Test
  void aBlobFromAVerifyingSourceIsStoredUnderItsDigestWithoutASecondHash() throws IOException {
    Store store = Store.open(root);
    Digest digest = Digest.sha256("a layer from a registry");

    StoredBlob blob = store.putBlob(verifying("a layer from a registry", digest), digest);

    assertThat(blob.digest()).isEqualTo(digest);
    assertThat(store.readBlob(digest)).isEqualTo(bytes("a layer from a registry"));
    // the writer of such a source keeps no hash of its own
    try (BlobWriter w = store.newBlobWriter(verifying("a layer from a registry", digest), digest)) {
      assertThatThrownBy(w::digestSoFar).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void wrongContentFromAVerifyingSourceStoresNothing() throws IOException {
    Store store = Store.open(root);
    Digest promised = Digest.sha256("what the registry promised");

    assertThatThrownBy(() -> store.putBlob(verifying("what the registry sent", promised), promised))
        .isInstanceOf(IOException.class).hasMessageContaining("has the wrong content");
    assertThat(store.blobs()).isEmpty();
    assertThat(Listing.list(store.root().resolve("v1/tmp"))).isEmpty();
  }

  @Test
  void aWriterOfAVerifyingSourceCommitsOnlyWhatTheSourceVerified() throws IOException {
    Store store = Store.open(root);
    Digest digest = Digest.sha256("the layer");
    VerifyingInputStream unread = verifying("the layer", digest);
    BlobWriter early = store.newBlobWriter(unread, digest);
    early.write(bytes("the layer"));
    assertThatThrownBy(() -> early.commit(digest)).isInstanceOf(IOException.class)
        .hasMessageContaining("not read to its end");

    VerifyingInputStream source = verifying("the layer", digest);
    BlobWriter other = store.newBlobWriter(source, digest);
    other.write(bytes("something else"));
    source.transferTo(java.io.OutputStream.nullOutputStream());
    assertThatThrownBy(() -> other.commit(digest)).isInstanceOf(IOException.class)
        .hasMessageContaining("14 bytes written, 9 read from its source");
    assertThat(store.blobs()).isEmpty();
  }

  @Test
  void corruptBlobFailsAtEndOfReadAndIsRemoved() throws IOException {
    Store store = Store.open(root);
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Digest digest = store.putBlob(content).digest();
    corrupt(store.blobPath(digest), 123_456);

    try (InputStream in = store.openBlob(digest)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOfSatisfying(StoreCorruptionException.class, e -> {
            assertThat(e.expected()).isEqualTo(digest);
            assertThat(e.actual()).isNotEqualTo(digest);
            assertThat(e.getMessage()).contains(digest.toString());
          });
    }
    assertThat(store.hasBlob(digest)).isFalse();
    assertThatThrownBy(() -> store.openBlob(digest)).isInstanceOf(NoSuchFileException.class);
    assertThat(Listing.list(store.root().resolve("v1/quarantine"))).hasSize(1);

    // The content can be stored again, and gc empties the quarantine.
    assertThat(store.putBlob(content).created()).isTrue();
    assertThat(store.readBlob(digest)).isEqualTo(content);
    store.gc(Long.MAX_VALUE);
    assertThat(Listing.list(store.root().resolve("v1/quarantine"))).isEmpty();
  }

  @Test
  void verifyReportsAndRemovesOnlyCorruptBlobs() throws IOException {
    Store store = Store.open(root);
    Digest good = store.putBlob(bytes("good")).digest();
    Digest bad = store.putBlob(bytes("will rot")).digest();
    corrupt(store.blobPath(bad), 0);

    VerifyReport report = store.verify();

    assertThat(report.checked()).isEqualTo(2);
    assertThat(report.corrupt()).containsExactly(bad);
    assertThat(report.ok()).isFalse();
    assertThat(store.blobs()).containsExactly(good);
    assertThat(store.verify().ok()).isTrue();
  }

  @Test
  void rewritingCorruptContentOfTheWrongSizeReplacesIt() throws IOException {
    Store store = Store.open(root);
    Digest digest = store.putBlob(bytes("abcdef")).digest();
    Path path = store.blobPath(digest);
    path.toFile().setWritable(true);
    Files.write(path, bytes("abc"));

    assertThat(store.putBlob(bytes("abcdef")).created()).isTrue();
    assertThat(store.readBlob(digest)).isEqualTo(bytes("abcdef"));
  }

  @Test
  void missingBlobsAndOtherAlgorithms() throws IOException {
    Store store = Store.open(root);
    Digest absent = Digest.sha256("absent");
    Digest other = Digest.parse("sha512:abcdef");

    assertThat(store.hasBlob(absent)).isFalse();
    assertThat(store.hasBlob(other)).isFalse();
    assertThatThrownBy(() -> store.openBlob(absent)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.blobPath(absent)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.size(absent)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.openBlob(other)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void committedBlobsAreReadOnlyFiles() throws IOException {
    Store store = Store.open(root);
    Path path = store.blobPath(store.putBlob(bytes("x")).digest());
    assertThat(Files.isRegularFile(path)).isTrue();
    assertThat(Files.getPosixFilePermissions(path)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OTHERS_READ);
  }

  @Test
  void defaultRootComesFromGantryHomeOrTheUserCache() {
    assertThat(Store.defaultRoot(Map.of("GANTRY_HOME", "/srv/gantry"), "/home/u"))
        .isEqualTo(Path.of("/srv/gantry"));
    assertThat(Store.defaultRoot(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/gantry"));
    assertThat(Store.defaultRoot(Map.of("GANTRY_HOME", " "), "/home/u"))
        .isEqualTo(Path.of("/home/u/.cache/gantry"));
  }

  @Test
  void namesAreEncodedIntoSafeDistinctFileNames() {
    assertThat(StoreLayout.encodeName("example.com/app:1.0")).isEqualTo("example.com%2Fapp%3A1.0");
    assertThat(StoreLayout.encodeName("..")).isEqualTo("%2E.");
    assertThat(StoreLayout.encodeName("é")).isEqualTo("%C3%A9");
    String longA = "a".repeat(300);
    String longB = "a".repeat(299) + "b";
    assertThat(StoreLayout.encodeName(longA)).hasSizeLessThan(200)
        .isNotEqualTo(StoreLayout.encodeName(longB));
    assertThat(List.of("/", "\\", ":", "*")).allSatisfy(
        c -> assertThat(StoreLayout.encodeName("x" + c + "y")).doesNotContain(c));
  }

  /** Flips one byte of a stored (read-only) blob file in place. */
  static void corrupt(Path file, int offset) throws IOException {
    file.toFile().setWritable(true);
    byte[] b = Files.readAllBytes(file);
    b[offset] ^= 0x5a;
    Files.write(file, b);
  }
}
