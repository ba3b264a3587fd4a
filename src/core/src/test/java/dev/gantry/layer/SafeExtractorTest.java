package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oracle.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {
  @TempDir Path tmp;
  Path root;
  Path sentinel;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("a/b/root"));
    sentinel = Files.createDirectories(tmp.resolve("a/sentinel"));
    Files.writeString(sentinel.resolve("keep"), "untouched");
  }

  private void assertSentinelUntouched() throws IOException {
    try (Stream<Path> s = Files.list(sentinel)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep");
    }
    assertThat(Files.readString(sentinel.resolve("keep"))).isEqualTo("untouched");
    try (Stream<Path> s = Files.list(tmp.resolve("a"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("b", "sentinel");
    }
  }

  private SafeExtractor.Result extract(SafeExtractor x, byte[] tar) throws IOException {
    return x.extract(new ByteArrayInputStream(tar), root);
  }

  @Test
  void refusesDotDotNamesAndNamesTheEntry() throws IOException {
    byte[] tar = new HostileTars().file("ok", "1").file("../../sentinel/pwned", "x").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), tar))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("../../sentinel/pwned")
        .satisfies(e -> assertThat(((UnsafeArchiveException) e).entryName())
            .isEqualTo("../../sentinel/pwned"));
    assertSentinelUntouched();
  }

  @Test
  void refusesAbsoluteNamesByDefaultAndConfinesThemWhenAsked() throws IOException {
    String abs = sentinel.resolve("pwned").toString();
    byte[] tar = new HostileTars().file(abs, "x").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), tar))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining(abs);
    assertSentinelUntouched();
    extract(SafeExtractor.create().confineAbsoluteNames(true), tar);
    assertThat(root.resolve(abs.substring(1))).hasContent("x");
    assertSentinelUntouched();
  }

  @Test
  void aFileBehindASymlinkNeverLandsOutsideTheRoot() throws IOException {
    byte[] tar = new HostileTars()
        .symlink("evil", "../../sentinel")
        .file("evil/pwned", "x")
        .symlink("abs", sentinel.toString())
        .file("abs/pwned2", "y")
        .bytes();
    extract(SafeExtractor.create(), tar);
    assertSentinelUntouched();
    assertThat(Files.isSymbolicLink(root.resolve("evil"))).isTrue();
    assertThat(root.resolve("sentinel/pwned")).hasContent("x");
    assertThat(root.resolve(sentinel.toString().substring(1)).resolve("pwned2")).hasContent("y");
  }

  @Test
  void overwritingASymlinkReplacesItInsteadOfWritingThroughIt() throws IOException {
    byte[] tar = new HostileTars()
        .symlink("keep", sentinel.resolve("keep").toString())
        .file("keep", "replaced")
        .bytes();
    extract(SafeExtractor.create(), tar);
    assertSentinelUntouched();
    assertThat(Files.isSymbolicLink(root.resolve("keep"))).isFalse();
    assertThat(root.resolve("keep")).hasContent("replaced");
  }

  @Test
  void refusesHardlinksOutsideTheRoot() throws IOException {
    byte[] toPasswd = new HostileTars().hardlink("passwd", "/etc/passwd").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), toPasswd))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("\"passwd\"");
    byte[] confined = new HostileTars().hardlink("passwd", "/etc/passwd").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create().confineAbsoluteNames(true), confined))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("not a file extracted inside the root");
    byte[] outside = new HostileTars().hardlink("k", "../../sentinel/keep").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), outside))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("\"k\"");
    byte[] viaLink = new HostileTars().symlink("s", "../../sentinel").hardlink("k", "s/keep")
        .bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), viaLink))
        .isInstanceOf(UnsafeArchiveException.class);
    assertSentinelUntouched();
    assertThat(Files.getAttribute(sentinel.resolve("keep"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void extractsModesLinksAndSkipsDevices() throws IOException {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    TarLayerWriter.create().write(List.of(
        LayerEntry.file("bin/su", "su".getBytes(StandardCharsets.UTF_8)).withMode(04755),
        LayerEntry.hardlink("bin/su2", "bin/su"),
        LayerEntry.symlink("usr/bin", "../bin"),
        LayerEntry.directory("ro").withMode(0555),
        LayerEntry.file("ro/inside", new byte[] {1}),
        LayerEntry.device("dev/null", EntryType.CHAR_DEVICE, 1, 3)), layer);
    SafeExtractor.Result r = extract(SafeExtractor.create(), layer.toByteArray());
    assertThat(r.skipped()).containsExactly("dev/null");
    assertThat(Files.getAttribute(root.resolve("bin/su"), "unix:mode")).isEqualTo(0104755);
    assertThat(Files.getAttribute(root.resolve("bin/su"), "unix:nlink")).isEqualTo(2);
    assertThat(Files.readSymbolicLink(root.resolve("usr/bin")).toString()).isEqualTo("../bin");
    assertThat(Files.getAttribute(root.resolve("ro"), "unix:mode")).isEqualTo(040555);
    assertThat(root.resolve("ro/inside")).exists();
    assertThat(Files.exists(root.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectoriesWhenAsked() throws IOException {
    Files.createDirectories(root.resolve("etc/conf.d"));
    Files.writeString(root.resolve("etc/old"), "old");
    Files.writeString(root.resolve("etc/conf.d/lower"), "lower");
    byte[] tar = new HostileTars()
        .file("etc/conf.d/new", "new")
        .file("etc/conf.d/.wh..wh..opq", "")
        .file("etc/.wh.old", "")
        .bytes();
    extract(SafeExtractor.create().applyWhiteouts(true), tar);
    assertThat(root.resolve("etc/old")).doesNotExist();
    assertThat(root.resolve("etc/conf.d/lower")).doesNotExist();
    assertThat(root.resolve("etc/conf.d/new")).hasContent("new");
    byte[] escape = new HostileTars().file("../.wh.sentinel", "").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create().applyWhiteouts(true), escape))
        .isInstanceOf(UnsafeArchiveException.class);
    assertSentinelUntouched();
  }

  @Test
  void keepsSetuidBitsAndUserXattrsWhenOwnersArePreserved() throws IOException {
    Tools.require("root".equals(System.getProperty("user.name")),
        "setting owners needs root");
    byte[] tar = new HostileTars()
        .file("bin/su", "x", 04755, 1000, 1000, java.util.Map.of("SCHILY.xattr.user.note", "hi"))
        .file("bin/wall", "y", 02755, 0, 5, java.util.Map.of())
        .bytes();
    extract(SafeExtractor.create().preserveOwners(true), tar);
    assertThat(Files.getAttribute(root.resolve("bin/su"), "unix:mode")).isEqualTo(0104755);
    assertThat(Files.getAttribute(root.resolve("bin/su"), "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(root.resolve("bin/wall"), "unix:mode")).isEqualTo(0102755);
    assertThat(Files.getAttribute(root.resolve("bin/wall"), "unix:gid")).isEqualTo(5);
    var view = Files.getFileAttributeView(root.resolve("bin/su"),
        java.nio.file.attribute.UserDefinedFileAttributeView.class);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
    view.read("note", buf);
    assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("hi");
  }
}
