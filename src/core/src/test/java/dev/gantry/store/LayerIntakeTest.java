package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Compression;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer taken in through {@link LayerIntake} is stored and indexed in one pass; the index is
 * written only for a blob that matched its digest and diffID, a blob that is not a readable layer
 * is stored unindexed, and a failing source fails the intake with the source's own exception.
 */
class LayerIntakeTest {
  @TempDir Path root;

  private static final List<LayerEntry> ENTRIES = List.of(
      LayerEntry.file("etc/passwd", "root:x:0:0::/:/bin/sh\n".getBytes(StandardCharsets.UTF_8)),
      LayerEntry.directory("usr/lib"),
      LayerEntry.file("usr/lib/big.bin", new byte[300_000]),
      LayerEntry.whiteout("var/gone"));

  private static WrittenLayer write(ByteArrayOutputStream out) throws IOException {
    return TarLayerWriter.create().withCompression(Compression.GZIP).write(ENTRIES, out);
  }

  @Test
  void storesAndIndexesInOnePass() throws IOException {
    Store store = Store.open(root);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    WrittenLayer w = write(gz);
    LayerIntake intake = new LayerIntake(store, w.diffId());

    StoredBlob blob = intake.put(new ByteArrayInputStream(gz.toByteArray()), w.digest());

    assertThat(blob.digest()).isEqualTo(w.digest());
    assertThat(store.readBlob(w.digest())).isEqualTo(gz.toByteArray());
    LayerIndex stored = store.layerIndex(w.diffId()).orElseThrow();
    assertThat(intake.index()).contains(stored);
    assertThat(stored.entries()).extracting(LayerEntry::path)
        .containsExactly("etc", "etc/passwd", "usr", "usr/lib", "usr/lib/big.bin", "var", "var/gone");
    assertThat(new String(stored.files().get("etc/passwd"), StandardCharsets.UTF_8)).startsWith("root:x:0:0");
  }

  @Test
  void aWrongDigestStoresNothing() throws IOException {
    Store store = Store.open(root);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    WrittenLayer w = write(gz);
    Digest other = Digest.sha256("other");

    assertThatThrownBy(() -> new LayerIntake(store, w.diffId()).put(new ByteArrayInputStream(gz.toByteArray()), other))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.hasBlob(w.digest())).isFalse();
    assertThat(store.hasLayerIndex(w.diffId())).isFalse();
  }

  @Test
  void aWrongDiffIdOrABlobThatIsNoLayerIsStoredUnindexed() throws IOException {
    Store store = Store.open(root);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    WrittenLayer w = write(gz);
    Digest wrongDiffId = Digest.sha256("not the tar");
    LayerIntake intake = new LayerIntake(store, wrongDiffId);
    intake.put(new ByteArrayInputStream(gz.toByteArray()), w.digest());
    assertThat(store.hasBlob(w.digest())).isTrue();
    assertThat(intake.index()).isEmpty();
    assertThat(store.hasLayerIndex(wrongDiffId)).isFalse();

    byte[] notATar = "just text, not an archive".repeat(100).getBytes(StandardCharsets.UTF_8);
    LayerIntake text = new LayerIntake(store, Digest.sha256(notATar));
    assertThat(text.put(new ByteArrayInputStream(notATar), Digest.sha256(notATar)).size()).isEqualTo(notATar.length);
    assertThat(text.index()).isEmpty();
    assertThat(store.readBlob(Digest.sha256(notATar))).isEqualTo(notATar);
  }

  @Test
  void aFailingSourceFailsWithItsOwnException() throws IOException {
    Store store = Store.open(root);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    WrittenLayer w = write(gz);
    IOException reset = new IOException("connection reset");
    InputStream failing = new FilterInputStream(new ByteArrayInputStream(gz.toByteArray())) {
      private int reads;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (++reads > 2) {
          throw reset;
        }
        return super.read(b, off, Math.min(len, 100));
      }
    };

    assertThatThrownBy(() -> new LayerIntake(store, w.diffId()).put(failing, w.digest())).isSameAs(reset);
    assertThat(store.hasBlob(w.digest())).isFalse();
    assertThat(store.hasLayerIndex(w.diffId())).isFalse();
  }
}
