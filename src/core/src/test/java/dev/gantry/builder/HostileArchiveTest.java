package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ADD evil.tar /dst/} with hostile entries. What Gantry does, case by case:
 *
 * <ul>
 *   <li>{@code ../../escape} (any number of {@code ..} climbing above the archive root): the build
 *       fails naming the entry. (BuildKit clamps such names at the destination instead; refusing is
 *       the safer of the two outcomes the design allows.)
 *   <li>An absolute name {@code /etc/x}: confined, it lands at {@code /dst/etc/x}, as in BuildKit.
 *   <li>A symlink {@code link -> /} followed by {@code link/etc/x}: the link itself is kept (a
 *       symlink in an image is harmless), the entry under it is refused and the build fails naming
 *       it, since writing it would go through the link.
 *   <li>A hard link to {@code /etc/passwd} (a file that is not in the archive): the build fails
 *       naming the entry; hard links may only point at earlier files of the same archive.
 *   <li>Names that are not UTF-8 ({@code n-\xff}, {@code n-\xfe}, which a lenient decoder turns
 *       into one name {@code n-?}): the build fails naming the first, with its bytes escaped.
 * </ul>
 *
 * <p>Every case also checks that nothing outside the build's own scratch directories changed: a
 * sentinel directory beside the context, the rest of the test directory, and no file with the
 * test's unique name appears in the store or on the host's {@code /etc}.
 */
class HostileArchiveTest {
  @TempDir Path work;
  BuildFixture fx;
  String id;
  Map<String, String> before;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
    id = "gantry-escape-" + UUID.randomUUID();
    Files.createDirectories(work.resolve("sentinel/etc"));
    Files.writeString(work.resolve("sentinel/etc/passwd"), "sentinel");
    fx.dockerfile("FROM scratch\nCOPY keep /keep\nADD evil.tar /dst/\n").write("keep", "k");
  }

  private void archive(TestTars tar) throws IOException {
    fx.write("evil.tar", tar.tar());
    before = outsideScratch();
  }

  @AfterEach
  void nothingOutsideChanged() throws IOException {
    assertThat(outsideScratch()).as("files outside the store and output").isEqualTo(before);
    assertThat(Path.of("/etc", id)).doesNotExist();
    try (Stream<Path> s = Files.walk(work)) {
      assertThat(s.filter(p -> p.getFileName().toString().contains(id)).toList()).as("escaped files").isEmpty();
    }
  }

  /** Everything under the test directory except the store and the output. */
  private Map<String, String> outsideScratch() throws IOException {
    Map<String, String> all = new TreeMap<>(BuildFixture.tree(work));
    all.keySet().removeIf(k -> k.equals("store") || k.startsWith("store/") || k.equals("out") || k.startsWith("out/"));
    return all;
  }

  @Test
  void dotDotNamesAreRefusedNamingTheEntry() throws IOException {
    archive(new TestTars().file("ok.txt", "fine").file("../../" + id, "escaped")
        .file("../../../../../../" + id, "escaped"));
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("evil.tar").contains("../../" + id);
    assertThat(f.hint()).contains("outside the destination");
  }

  @Test
  void absoluteNamesAreConfinedUnderTheDestination() throws Exception {
    archive(new TestTars().file("/etc/" + id, "confined", 0600, 7, 8));
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("dst/etc/" + id, "file 00600 7:8 " + BuildFixture.sha16("confined"))
        .containsEntry("keep", "file 00644 0:0 " + BuildFixture.sha16("k"))
        .doesNotContainKey("etc/" + id).doesNotContainKey("etc");
  }

  @Test
  void anEntryBehindASymlinkToTheRootIsRefused() throws IOException {
    archive(new TestTars().symlink("link", "/").file("link/etc/" + id, "through the link"));
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("link/etc/" + id).containsIgnoringCase("symlink");
  }

  @Test
  void aSymlinkToTheRootAloneIsKeptAsALink() throws Exception {
    archive(new TestTars().symlink("link", "/"));
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("dst/link", "symlink 0:0 -> /").doesNotContainKey("etc");
  }

  @Test
  void namesThatAreNotUtf8AreRefusedNamingTheEntry() throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(b, "ISO-8859-1")) {
      for (String name : List.of("n-\u00ff", "n-\u00fe")) {
        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
        e.setSize(1);
        tar.putArchiveEntry(e);
        tar.write('x');
        tar.closeArchiveEntry();
      }
    }
    fx.write("evil.tar", b.toByteArray());
    before = outsideScratch();
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("evil.tar").contains("n-\\xff").contains("not valid UTF-8");
  }

  @Test
  void aHardlinkToAFileOutsideTheArchiveIsRefused() throws IOException {
    archive(new TestTars().file("a", "x").hardlink("hl-" + id, "/etc/passwd"));
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("hl-" + id).contains("/etc/passwd");
  }
}
