package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveEntriesTest {
  private static List<LayerEntry> read(byte[] tar, String dest) throws IOException {
    return ArchiveEntries.create().read(new ByteArrayInputStream(tar), dest);
  }

  @Test
  void placesEntriesUnderTheDestinationAndRewritesHardlinks() throws IOException {
    byte[] tar = new HostileTars().dir("./", 0755).dir("pkg/", 0750).file("pkg/a", "A")
        .file("/abs", "B").hardlink("pkg/b", "pkg/a").symlink("pkg/l", "/etc/passwd").bytes();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var o = TarLayerWriter.compress(Compression.GZIP, gz)) {
      o.write(tar);
    }
    List<LayerEntry> es = read(gz.toByteArray(), "/usr/src/");
    assertThat(es).extracting(LayerEntry::path)
        .containsExactly("usr/src/abs", "usr/src/pkg", "usr/src/pkg/a", "usr/src/pkg/b", "usr/src/pkg/l");
    LayerEntry link = es.get(3);
    assertThat(link.type()).isEqualTo(EntryType.HARDLINK);
    assertThat(link.linkTarget()).isEqualTo("usr/src/pkg/a");
    assertThat(es.get(1).mode()).isEqualTo(0750);
    assertThat(es.get(4).linkTarget()).isEqualTo("/etc/passwd");
    assertThat(es.get(2).content().open().readAllBytes()).containsExactly('A');
  }

  @Test
  void refusesEscapesWritesThroughSymlinksAndForeignHardlinks() throws IOException {
    assertThatThrownBy(() -> read(new HostileTars().file("a/../../x", "").bytes(), "/d"))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("a/../../x");
    assertThatThrownBy(() -> read(new HostileTars().symlink("l", "/etc").file("l/passwd", "")
        .bytes(), "/d")).isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("l/passwd");
    assertThatThrownBy(() -> read(new HostileTars().hardlink("p", "/etc/passwd").bytes(), "/d"))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("\"p\"");
    assertThat(read(new HostileTars().device("null").file("f", "").bytes(), "/"))
        .extracting(LayerEntry::path).containsExactly("f");
  }
}
