package dev.gantry.builder;

import static dev.gantry.builder.BuildFixture.sha16;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.Output;
import dev.gantry.oracle.ImageSnapshot;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What COPY and ADD read and write at the edges of the layer format: layers without parent
 * entries, archive entries named like whiteouts, hard links in any layer order, device nodes,
 * FIFOs and sockets, directories merged onto existing ones, and very deep trees.
 */
class CopyLayerRulesTest {
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new BuildFixture(work);
  }

  @Test
  void aBaseLayerWithoutParentEntriesIsCopiedWholeWithImplicitDirectories() throws Exception {
    byte[] layer = new TestTars().file("a/b/file", "deep\n").file("top.txt", "top\n").tar();
    Path base = CraftedImages.layout(work.resolve("base"), "1", layer);
    fx.dockerfile("FROM scratch\nCOPY --from=base / /\nCOPY --from=base /a/b/file /direct\n");
    ImageSnapshot img = fx.build(b -> b.buildContext("base", "oci-layout://" + base + ":1"));
    assertThat(img.files()).containsEntry("a/b/file", "file 00644 0:0 " + sha16("deep\n"))
        .containsEntry("a", "dir 00755 0:0").containsEntry("a/b", "dir 00755 0:0")
        .containsEntry("top.txt", "file 00644 0:0 " + sha16("top\n"))
        .containsEntry("direct", "file 00644 0:0 " + sha16("deep\n"));
  }

  @Test
  void whiteoutNamesInAnAddedArchiveAreWhiteoutsWhetherTheAddRanOrWasCached() throws Exception {
    fx.write("keep/x", "x\n");
    fx.write("keep/y", "y\n");
    fx.write("keep/sub/old", "old\n");
    fx.write("w.tar", new TestTars().file(".wh.x", "").file("z", "z\n").file("sub/.wh..wh..opq", "")
        .file("sub/new", "new\n").tar());
    fx.dockerfile("FROM scratch AS s\nCOPY keep/ /keep/\nADD w.tar /keep/\n"
        + "FROM scratch\nARG V\nCOPY --from=s /keep /out\n");
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    BuildResult cold = new Gantry().build(fx.request().buildArg("V", "1").listener(events::add).build());
    Map<String, String> first = ImageSnapshot.read(fx.out, null).files();
    Path again = work.resolve("again");
    BuildResult cached = new Gantry().build(fx.request().buildArg("V", "2")
        .output(new Output.OciLayout(again)).build());

    assertThat(cold.cachedSteps()).isZero();
    assertThat(cached.cachedSteps()).as("COPY and ADD of the first stage").isEqualTo(2);
    assertThat(first).containsOnlyKeys("out", "out/y", "out/z", "out/sub", "out/sub/new");
    assertThat(ImageSnapshot.read(again, null).files()).isEqualTo(first);
    assertThat(events).filteredOn(e -> e instanceof BuildEvent.Message).extracting(e -> ((BuildEvent.Message) e).text())
        .anyMatch(t -> t.startsWith("warning: Dockerfile:3:1: ADD w.tar /keep/: /keep/.wh.x is a whiteout"));
  }

  @Test
  void aHardLinkThatSortsBeforeItsTargetIsWrittenAsTheFile() throws Exception {
    fx.write("links.tar", new TestTars().file("plain/hello.txt", "hello\n").hardlink("plain/hard-to-hello", "plain/hello.txt")
        .tar());
    Path z = fx.write("z.txt", "same inode\n");
    Files.createLink(fx.context.resolve("a.txt"), z);
    fx.dockerfile("FROM scratch\nADD links.tar /\nCOPY z.txt a.txt /ctx/\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("plain/hello.txt", "file 00644 0:0 " + sha16("hello\n"))
        .containsEntry("plain/hard-to-hello", "file 00644 0:0 " + sha16("hello\n"))
        .containsEntry("ctx/a.txt", "file 00644 0:0 " + sha16("same inode\n"))
        .containsEntry("ctx/z.txt", "file 00644 0:0 " + sha16("same inode\n"));
    List<Map<String, String>> layers = CraftedImages.layers(fx.out);
    assertThat(layers.get(0)).containsEntry("plain/hard-to-hello", "file")
        .containsEntry("plain/hello.txt", "link -> plain/hard-to-hello");
    assertThat(layers.get(1)).containsEntry("ctx/a.txt", "file").containsEntry("ctx/z.txt", "link -> ctx/a.txt");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void deviceNodesAndFifosOfAnArchiveAndAStageAreKeptAndNeverOpened() throws Exception {
    fx.write("dev.tar", new TestTars().special("dev/null", TarArchiveEntry.LF_CHR, 0666, 1, 3)
        .special("dev/loop0", TarArchiveEntry.LF_BLK, 0660, 7, 0).special("run/pipe", TarArchiveEntry.LF_FIFO, 0600, 0, 0)
        .tar());
    fx.dockerfile("FROM scratch AS s\nADD dev.tar /\nFROM scratch\nCOPY --from=s / /copy/\n");
    fx.build();
    Map<String, String> copied = CraftedImages.layers(fx.out).get(0);
    assertThat(copied).containsEntry("copy/dev/null", "char 1:3").containsEntry("copy/dev/loop0", "block 7:0")
        .containsEntry("copy/run/pipe", "fifo");
    fx.build(b -> b.target("s"));
    assertThat(CraftedImages.layers(fx.out).get(0)).containsEntry("dev/null", "char 1:3")
        .containsEntry("dev/loop0", "block 7:0").containsEntry("run/pipe", "fifo");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aContextFifoIsCopiedAsAFifoAndASocketIsLeftOut() throws Exception {
    fx.write("plain.txt", "plain\n");
    Path fifo = fx.context.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", "-m", "0640", fifo.toString()).inheritIO().start().waitFor()).isZero();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(fx.context.resolve("sock")));
      fx.dockerfile("FROM scratch\nCOPY . /ctx/\n");
      fx.build();
    }
    Map<String, String> layer = CraftedImages.layers(fx.out).get(0);
    assertThat(layer).containsEntry("ctx/pipe", "fifo").containsEntry("ctx/plain.txt", "file")
        .doesNotContainKey("ctx/sock");
  }

  @Test
  void aDirectoryMergedOntoAnExistingOneTakesTheSourceMetadataBelowTheTop() throws Exception {
    fx.write("v1/sub/a", "a\n");
    fx.write("v2/sub/b", "b\n");
    Files.setPosixFilePermissions(fx.context.resolve("v1/sub"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(fx.context.resolve("v2/sub"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.setPosixFilePermissions(fx.context.resolve("v2"), PosixFilePermissions.fromString("rwx------"));
    fx.dockerfile("FROM scratch\nCOPY v1 /dst/\nCOPY --chown=7:8 v2 /dst/\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("dst", "dir 00755 0:0")
        .containsEntry("dst/sub", "dir 00750 7:8")
        .containsEntry("dst/sub/a", "file 00644 0:0 " + sha16("a\n"))
        .containsEntry("dst/sub/b", "file 00644 7:8 " + sha16("b\n"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void deepTreesAreWalkedAndCopiedWithoutRecursion() throws Exception {
    int contextDepth = 1_900; // as deep as a path within PATH_MAX (4096 bytes) allows
    Path dir = fx.context.resolve("deep");
    StringBuilder rel = new StringBuilder("deep");
    for (int i = 0; i < contextDepth; i++) {
      rel.append("/d");
    }
    Files.createDirectories(fx.context.resolve(rel.toString()));
    fx.write(rel + "/f", "bottom\n");
    StringBuilder stageRel = new StringBuilder("s");
    for (int i = 0; i < 5_000; i++) {
      stageRel.append("/d");
    }
    Path base = CraftedImages.layout(work.resolve("base"), "1", new TestTars().file(stageRel + "/f", "far\n").tar());
    fx.dockerfile("FROM scratch\nCOPY deep /deep/\nCOPY --from=base /s /s/\n");
    try {
      new Gantry().build(fx.request().buildContext("base", "oci-layout://" + base + ":1").build());
    } finally {
      // rm works relative to each directory; deleting by full paths costs the depth on every file
      new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
    }
    List<Map<String, String>> layers = CraftedImages.layers(fx.out);
    assertThat(layers.get(0)).hasSize(contextDepth + 2).containsEntry(rel + "/f", "file");
    assertThat(layers.get(1)).hasSize(5_000 + 2).containsEntry(stageRel + "/f", "file");
  }
}
