package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile layers beyond names: directories swapped for symlinks after their children were listed,
 * names that are not UTF-8, malformed whiteouts, symlink loops. A host directory outside the root
 * (with a child whose metadata is recorded) must stay as it was.
 */
class HostileLayerTest {
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  static final Instant ODD = Instant.parse("2001-02-03T04:05:06.789Z");

  @TempDir Path tmp;
  Path root;
  Path host;
  Map<String, String> hostBefore;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("a/b/root"));
    host = Files.createDirectories(tmp.resolve("a/host"));
    Files.createDirectories(host.resolve("sub"));
    Files.setAttribute(host.resolve("sub"), "unix:mode", 0750);
    Files.setLastModifiedTime(host.resolve("sub"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.writeString(host.resolve("keep"), "untouched");
    hostBefore = state(host);
  }

  /** Type, mode, owner, mtime and content of everything under {@code dir}. */
  static Map<String, String> state(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "";
        out.put(dir.relativize(p).toString(), Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid")
            + ":" + a.get("gid") + " " + a.get("lastModifiedTime") + " " + content);
      }
    }
    return out;
  }

  private SafeExtractor.Result extract(SafeExtractor x, byte[] tar) throws IOException {
    return x.extract(new ByteArrayInputStream(tar), root);
  }

  @ParameterizedTest
  @ValueSource(strings = {"absolute", "relative"})
  void directoryMetadataIsNeverAppliedThroughADirectorySwappedForASymlink(String kind) throws IOException {
    String link = kind.equals("absolute") ? host.toString() : "../../host";
    byte[] tar = new HostileTars().dir("x/", 0755, 0, 0, ODD).dir("x/sub/", 04777, 4242, 4242, ODD)
        .symlink("x", link).bytes();
    extract(SafeExtractor.create().preserveOwners(ROOT), tar);
    assertThat(state(host)).isEqualTo(hostBefore);
    assertThat(Files.readSymbolicLink(root.resolve("x")).toString()).isEqualTo(link);
  }

  @Test
  void aDirectorySwappedForASymlinkInTheRootCacheFormIsSkippedToo() throws IOException {
    byte[] tar = new HostileTars().dir("x/", 0755, 0, 0, ODD).dir("x/sub/", 04777, 4242, 4242, ODD)
        .file("x/.wh.gone", "").symlink("x", "../../host").bytes();
    extract(SafeExtractor.create().preserveOwners(ROOT).allowDevices(ROOT)
        .whiteouts(ROOT ? SafeExtractor.Whiteouts.OVERLAY : SafeExtractor.Whiteouts.KEEP), tar);
    assertThat(state(host)).isEqualTo(hostBefore);
  }

  @Test
  void namesThatAreNotUtf8KeepTheirBytesAndNoFileIsLost() throws IOException {
    byte[] tar = new HostileTars().file("n-\u00ff", "ff").file("n-\u00fe", "fe")
        .paxNamedFile(new byte[] {'p', '-', (byte) 0xff}, "pax").paxNamedFile("p-\u00e9".getBytes(StandardCharsets.UTF_8),
            "utf8").bytes();
    assertThat(extract(SafeExtractor.create(), tar).written()).isEqualTo(4);
    Map<String, String> byBytes = new TreeMap<>();
    try (var names = DirHandle.open(root)) {
      for (String n : names.list()) {
        byBytes.put(ByteNameTarInput.display(n), "");
      }
    }
    assertThat(byBytes.keySet()).containsExactlyInAnyOrder("n-\\xff", "n-\\xfe", "p-\\xff", "p-\u00e9");
    try (Stream<Path> s = Files.list(root)) {
      List<String> contents = s.map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
      assertThat(contents).containsExactly("fe", "ff", "pax", "utf8");
    }
  }

  @ParameterizedTest
  @EnumSource(SafeExtractor.Whiteouts.class)
  void malformedWhiteoutsAreRefusedNamingTheEntryAndTheRule(SafeExtractor.Whiteouts mode) throws IOException {
    for (String name : List.of(".wh...", "d/.wh..", "d/.wh.")) {
      byte[] tar = new HostileTars().dir("d", 0755).file(name, "").bytes();
      assertThatThrownBy(() -> extract(SafeExtractor.create().allowDevices(ROOT).whiteouts(mode), tar))
          .isInstanceOf(UnsafeArchiveException.class)
          .hasMessageContaining("\"" + name + "\"")
          .hasMessageContaining("a whiteout .wh.NAME must name one entry of its directory")
          .satisfies(e -> assertThat(((UnsafeArchiveException) e).entryName()).isEqualTo(name));
    }
    assertThat(state(host)).isEqualTo(hostBefore);
    assertThat(root.getParent().resolve("root")).exists();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aWhiteoutHidesOnlyTheLowerLayersNotTheSameLayersEntries(boolean whiteoutFirst) throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/old"), "lower");
    HostileTars t = new HostileTars();
    if (whiteoutFirst) {
      t.file(".wh.etc", "").file("etc/new", "n");
    } else {
      t.file("etc/new", "n").file(".wh.etc", "");
    }
    extract(SafeExtractor.create().applyWhiteouts(true), t.bytes());
    try (Stream<Path> s = Files.list(root.resolve("etc"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
    }
  }

  @Test
  void symlinkLoopsAreRefusedNamingTheEntry() throws IOException {
    byte[] tar = new HostileTars().symlink("a", "b").symlink("b", "a").file("a/x", "x").bytes();
    assertThatThrownBy(() -> extract(SafeExtractor.create(), tar)).isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("\"a/x\"").hasMessageContaining("too many levels of symbolic links");
  }

  @Test
  void whiteoutsAndDirectoryEntriesThroughSymlinksStayInsideTheRoot() throws IOException {
    byte[] tar = new HostileTars().symlink("up", "../../host").file("up/.wh.keep", "").symlink("abs", host.toString())
        .file("abs/.wh.sub", "").symlink("dir", "../../host").dir("dir/sub/", 0777, 0, 0, ODD).bytes();
    extract(SafeExtractor.create().applyWhiteouts(true), tar);
    assertThat(state(host)).isEqualTo(hostBefore);
    assertThat(root.resolve("host/sub")).isDirectory();
  }
}
