package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.layer.UnsafeArchiveException;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.MediaType;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import dev.gantry.store.StoredBlob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking layers into overlay lower directories: whiteout form, reuse, and hostile layers. */
class RootfsCacheTest {
  @TempDir Path tmp;
  Store store;
  Path sentinel;

  @BeforeEach
  void setUp() throws IOException {
    Tools.require("root".equals(System.getProperty("user.name")), "unpacking with owners and devices needs root");
    store = Store.open(tmp.resolve("store"));
    sentinel = Files.createDirectories(tmp.resolve("sentinel"));
    Files.writeString(sentinel.resolve("keep"), "untouched");
  }

  private Descriptor layer(Tar t) throws IOException {
    StoredBlob b = store.putBlob(t.bytes());
    return Descriptor.of(MediaType.OCI_LAYER_TAR, b.digest(), b.size());
  }

  @Test
  void whiteoutsBecomeOverlayFormAndChainsAreUnpackedOnce() throws IOException {
    Descriptor l = layer(new Tar().dir("etc/conf.d").file("etc/conf.d/.wh..wh..opq", "").file("etc/.wh.old", "")
        .file("etc/new", "n"));
    RootfsCache cache = new RootfsCache(store);
    Path dir = cache.lowerDirs(List.of(l), List.of(l.digest())).get(0);
    assertThat(dir.resolve("etc/new")).hasContent("n");
    var whiteout = Files.readAttributes(dir.resolve("etc/old"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertThat((Integer) whiteout.get("mode") & 0170000).isEqualTo(0020000);
    assertThat(whiteout.get("rdev")).isEqualTo(0L);
    assertThat(Files.getFileAttributeView(dir.resolve("etc/conf.d"),
        java.nio.file.attribute.UserDefinedFileAttributeView.class).list()).contains(RootfsCache.OPAQUE_XATTR);
    assertThat(dir.resolve("etc/.wh.old")).doesNotExist();
    Files.writeString(dir.resolve("marker"), "reused");
    assertThat(new RootfsCache(store).lowerDirs(List.of(l), List.of(l.digest())).get(0).resolve("marker")).exists();
  }

  @Test
  void hostileLayersStayInsideTheirDirectory() throws IOException {
    String rel = "../../../../sentinel";
    Descriptor escape = layer(new Tar().symlink("up", rel).symlink("abs", sentinel.toString())
        .file("up/.wh.keep", "").file("abs/.wh.keep", "").file("abs/pwned", "x").symlink("etc", "/")
        .file("etc/.wh.keep", ""));
    RootfsCache cache = new RootfsCache(store);
    cache.lowerDirs(List.of(escape), List.of(escape.digest()));
    Descriptor traversal = layer(new Tar().file("../../sentinel/pwned", "x"));
    assertThatThrownBy(() -> cache.lowerDirs(List.of(traversal), List.of(traversal.digest())))
        .isInstanceOf(UnsafeArchiveException.class);
    Descriptor hardlink = layer(new Tar().hardlink("h", "../../sentinel/keep"));
    assertThatThrownBy(() -> cache.lowerDirs(List.of(hardlink), List.of(hardlink.digest())))
        .isInstanceOf(UnsafeArchiveException.class);
    try (Stream<Path> s = Files.list(sentinel)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep");
    }
    assertThat(sentinel.resolve("keep")).hasContent("untouched");
    try (Stream<Path> s = Files.list(cache.directory())) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }

  @Test
  void aNameWhitedOutAndWrittenByTheSameLayerKeepsTheLayersEntry() throws IOException {
    Descriptor l = layer(new Tar().file(".wh.etc", "").file("etc/new", "n").file("f", "mine").file(".wh.f", "")
        .file("var/log/x", "x").file("var/.wh.log", "").file(".wh.gone", ""));
    Path dir = new RootfsCache(store).lowerDirs(List.of(l), List.of(l.digest())).get(0);
    try (Stream<Path> s = Files.list(dir.resolve("etc"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
    }
    assertThat(opaque(dir.resolve("etc"))).isTrue();
    assertThat(opaque(dir.resolve("var/log"))).isTrue();
    assertThat(dir.resolve("var/log/x")).hasContent("x");
    assertThat(opaque(dir.resolve("var"))).isFalse();
    assertThat(dir.resolve("f")).hasContent("mine");
    var gone = Files.readAttributes(dir.resolve("gone"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertThat((Integer) gone.get("mode") & 0170000).isEqualTo(0020000);
    assertThat(gone.get("rdev")).isEqualTo(0L);
  }

  @Test
  void malformedWhiteoutsAreRefusedNamingTheEntry() throws IOException {
    RootfsCache cache = new RootfsCache(store);
    for (String name : List.of(".wh...", "d/.wh..")) {
      Descriptor l = layer(new Tar().dir("d").file("d/f", "f").file(name, ""));
      assertThatThrownBy(() -> cache.lowerDirs(List.of(l), List.of(l.digest())))
          .isInstanceOf(UnsafeArchiveException.class)
          .hasMessage("unsafe archive entry \"" + name + "\": whiteout \"" + name.substring(name.indexOf(".wh."))
              + "\" names \"" + name.substring(name.indexOf(".wh.") + 4) + "\"; a whiteout .wh.NAME must name one"
              + " entry of its directory");
    }
    try (Stream<Path> s = Files.list(cache.directory())) {
      assertThat(s.toList()).isEmpty();
    }
  }

  private static boolean opaque(Path dir) throws IOException {
    return Files.getFileAttributeView(dir, java.nio.file.attribute.UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS).list().contains(RootfsCache.OPAQUE_XATTR);
  }

  /** Raw tar streams, hostile names allowed. */
  static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");

    Tar file(String name, String content) throws IOException {
      byte[] b = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
      e.setSize(b.length);
      e.setMode(0100644);
      tar.putArchiveEntry(e);
      tar.write(b);
      tar.closeArchiveEntry();
      return this;
    }

    Tar dir(String name) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR, true);
      e.setMode(040755);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    Tar symlink(String name, String target) throws IOException {
      return link(name, target, TarArchiveEntry.LF_SYMLINK);
    }

    Tar hardlink(String name, String target) throws IOException {
      return link(name, target, TarArchiveEntry.LF_LINK);
    }

    private Tar link(String name, String target, byte flag) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
      e.setLinkName(target);
      e.setMode(0120777);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    byte[] bytes() throws IOException {
      tar.close();
      return out.toByteArray();
    }
  }
}
