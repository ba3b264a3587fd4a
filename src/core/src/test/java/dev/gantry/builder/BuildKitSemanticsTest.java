package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where buildah 1.28 differs from BuildKit (or lacks the feature), Gantry must do what BuildKit
 * does; checked against expected snapshots: SHELL wraps shell-form CMD/ENTRYPOINT, EXPOSE ranges
 * expand, redefining an inherited ENV keeps its place, {@code COPY --exclude}, {@code COPY --parents}
 * (with and without a {@code /./} pivot, with wildcards) and {@code COPY --link}.
 */
class BuildKitSemanticsTest {
  private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
  }

  private static String file(String content) {
    return "file 00644 0:0 " + BuildFixture.sha16(content);
  }

  @Test
  void shellAppliesToShellFormCmdAndEntrypoint() throws Exception {
    fx.dockerfile("FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nENTRYPOINT exec app $HOME\nCMD run more\n");
    ImageSnapshot img = fx.build();
    assertThat(img.config()).containsEntry("Entrypoint", "[\"/bin/bash\",\"-c\",\"exec app $HOME\"]")
        .containsEntry("Cmd", "[\"/bin/bash\",\"-c\",\"run more\"]")
        .containsEntry("Shell", "[\"/bin/bash\",\"-c\"]");
  }

  @Test
  void exposeRangesExpandToEveryPort() throws Exception {
    fx.dockerfile("FROM scratch\nEXPOSE 7000-7002/tcp 80 53/udp\n");
    assertThat(fx.build().config()).containsEntry("ExposedPorts",
        "{\"53/udp\":{},\"7000/tcp\":{},\"7001/tcp\":{},\"7002/tcp\":{},\"80/tcp\":{}}");
  }

  @Test
  void redefiningAnInheritedEnvKeepsItsPosition() throws Exception {
    fx.dockerfile("FROM scratch AS base\nENV A=1 B=2 C=3\n\nFROM base\nENV A=9 D=4\nENV PATH=/opt/bin\n");
    assertThat(fx.build().config()).containsEntry("Env", "[\"PATH=/opt/bin\",\"A=9\",\"B=2\",\"C=3\",\"D=4\"]");
  }

  @Test
  void copyExcludeSkipsMatchesRelativeToTheSource() throws Exception {
    fx.write("app/a.txt", "a");
    fx.write("app/b.log", "b");
    fx.write("app/tmp/x", "x");
    fx.write("app/keep/c.log", "c");
    fx.write("app/keep/d.txt", "d");
    fx.dockerfile("FROM scratch\nCOPY --exclude=*.log --exclude=tmp app/ /one/\n"
        + "COPY --exclude=**/*.log app /two\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo(""
        + "/one  dir 00755 0:0\n/one/a.txt  " + file("a") + "\n/one/keep  dir 00755 0:0\n"
        + "/one/keep/c.log  " + file("c") + "\n/one/keep/d.txt  " + file("d") + "\n"
        + "/two  dir 00755 0:0\n/two/a.txt  " + file("a") + "\n/two/keep  dir 00755 0:0\n"
        + "/two/keep/d.txt  " + file("d") + "\n/two/tmp  dir 00755 0:0\n/two/tmp/x  " + file("x") + "\n");
  }

  @Test
  void copyParentsKeepsTheSourceDirectories() throws Exception {
    fx.write("foo1/foo2/bar", "testing");
    fx.write("foo1/foo2/baz", "testing2");
    fx.write("foo1/other", "not selected");
    Files.setPosixFilePermissions(fx.context.resolve("foo1"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(fx.context.resolve("foo1/foo2"), PosixFilePermissions.fromString("rwxr-x---"));
    fx.dockerfile("FROM scratch\nCOPY --parents foo1/foo2/bar /\nWORKDIR /test\nCOPY --parents foo1/foo2/ba* .\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo(""
        + "/foo1  dir 00700 0:0\n/foo1/foo2  dir 00750 0:0\n/foo1/foo2/bar  " + file("testing") + "\n"
        + "/test  dir 00755 0:0\n/test/foo1  dir 00700 0:0\n/test/foo1/foo2  dir 00750 0:0\n"
        + "/test/foo1/foo2/bar  " + file("testing") + "\n/test/foo1/foo2/baz  " + file("testing2") + "\n");
  }

  @Test
  void copyParentsWithAPivotAndWildcards() throws Exception {
    for (String f : List.of("a/b/c/d/foo", "a/b/c/d/e/bay", "a/b2/c/d/e/bar", "a/b/c2/d/e/baz", "a/b/c2/d/e2/baz")) {
      fx.write("test/" + f, f);
    }
    fx.dockerfile("FROM scratch AS middle\nCOPY --parents /test/a/b/./c/d /out/\n"
        + "FROM scratch AS wildcard\nCOPY --parents test/a/./*/c /out/\n"
        + "FROM scratch AS doublewildcard\nCOPY --parents /test/a/b*/./c/**/e /out/\n"
        + "FROM scratch AS doubleinputs\nCOPY --parents /test/a/b/c*/./d/**/baz /test/a/b*/./c/**/bar /out/\n");
    assertThat(paths(fx.build(r -> r.target("middle"))))
        .containsExactly("out", "out/c", "out/c/d", "out/c/d/e", "out/c/d/e/bay", "out/c/d/foo");
    assertThat(paths(fx.build(r -> r.target("wildcard")))).containsExactly("out", "out/b", "out/b/c", "out/b/c/d",
        "out/b/c/d/e", "out/b/c/d/e/bay", "out/b/c/d/foo", "out/b2", "out/b2/c", "out/b2/c/d", "out/b2/c/d/e",
        "out/b2/c/d/e/bar");
    assertThat(paths(fx.build(r -> r.target("doublewildcard"))))
        .containsExactly("out", "out/c", "out/c/d", "out/c/d/e", "out/c/d/e/bar", "out/c/d/e/bay");
    assertThat(paths(fx.build(r -> r.target("doubleinputs")))).containsExactly("out", "out/c", "out/c/d",
        "out/c/d/e", "out/c/d/e/bar", "out/d", "out/d/e", "out/d/e/baz", "out/d/e2", "out/d/e2/baz");
  }

  @Test
  void copyParentsCacheKeyCoversTheSelectedFilesOnly() throws Exception {
    fx.write("foo1/foo2/bar", "v1");
    fx.write("foo1/other", "not selected");
    fx.dockerfile("FROM scratch\nCOPY --parents foo1/foo2/bar /\n");
    assertThat(copyCached()).isFalse();
    fx.write("foo1/other", "changed, still not selected");
    assertThat(copyCached()).as("an unselected file changed").isTrue();
    fx.write("foo1/foo2/bar", "v2");
    assertThat(copyCached()).as("the selected file changed").isFalse();
  }

  private boolean copyCached() throws Exception {
    BuildResult r = new Gantry().build(BuildRequest.builder(fx.context).storeDirectory(fx.store).build());
    return r.steps().get(r.steps().size() - 1).cached();
  }

  @Test
  void copyParentsOfAMissingPathFails() throws IOException {
    fx.write("present/x", "x");
    fx.dockerfile("FROM scratch\nCOPY --parents present/nope /\n");
    assertThat(fx.fail(2).message()).contains("present/nope").contains("not found");
  }

  private static List<String> paths(ImageSnapshot img) {
    return List.copyOf(img.files().keySet());
  }

  private void baseWithDirectoryX(String owner) throws IOException {
    String[] ids = owner.split(":");
    fx.write("base.tar", new TestTars().dir("x/", 0700, Integer.parseInt(ids[0]), Integer.parseInt(ids[1]))
        .file("x/old", "old").tar());
  }

  @Test
  void copyLinkWritesALayerIndependentOfTheBase() throws Exception {
    fx.write("f", "new");
    fx.dockerfile("FROM scratch\nADD base.tar /\nCOPY --link f /x/\n");
    baseWithDirectoryX("5:5");
    ImageSnapshot img = fx.build();
    assertThat(BuildFixture.files(img)).isEqualTo("/x  dir 00755 0:0\n/x/f  " + file("new") + "\n/x/old  "
        + file("old") + "\n");
    String linked = fx.layerDigests().get(1);
    baseWithDirectoryX("7:7");
    fx.build();
    assertThat(fx.layerDigests().get(1)).as("the --link layer does not depend on the base").isEqualTo(linked);
  }

  @Test
  void copyLinkWithChmodIsAPlainCopy() throws Exception {
    fx.write("f", "new");
    fx.dockerfile("FROM scratch\nADD base.tar /\nCOPY --link --chmod=0600 f /x/\n");
    baseWithDirectoryX("5:5");
    assertThat(BuildFixture.files(fx.build())).isEqualTo("/x  dir 00700 5:5\n/x/f  file 00600 0:0 "
        + BuildFixture.sha16("new") + "\n/x/old  " + file("old") + "\n");
  }
}
