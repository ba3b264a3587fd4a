package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context walk and COPY source resolution on real directory trees. */
class ContextWalkerTest {
  @TempDir Path temp;

  private BuildContext context(List<String> tree, String... ignore) throws IOException {
    Path root = Files.createDirectories(temp.resolve("ctx"));
    ContextTrees.create(root, tree);
    return BuildContext.open(root, IgnoreMatcher.of(List.of(ignore)));
  }

  @Test
  void symlinkToTheHostRootStaysASymlinkAndIsNeverFollowed() throws IOException {
    BuildContext ctx = context(List.of("data/file", "root -> /", "up -> ../.."));

    assertThat(ContextTrees.describe(ctx.entries()))
        .isEqualTo("data/\ndata/file\nroot -> /\nup -> ../..\n");
    ContextEntry link = ctx.entry("root").orElseThrow();
    assertThat(link.type()).isEqualTo(EntryType.SYMLINK);
    assertThat(link.size()).isZero();
    // resolving through the links stays inside the context: "/" is the context root
    assertThat(ctx.resolveSource("root/etc/passwd").found()).isFalse();
    assertThat(ctx.resolveSource("root/data/file").entries()).extracting(ContextEntry::path)
        .containsExactly("data/file");
    assertThat(ctx.resolveSource("up/data/file").entries()).extracting(ContextEntry::path)
        .containsExactly("data/file");
    assertThat(ctx.followSymlink(ctx.entry("up").orElseThrow())).map(ContextEntry::path)
        .contains(".");
  }

  @Test
  void hardlinksAreReportedAgainstTheFirstPathInWalkOrder() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ctx"));
    Files.writeString(root.resolve("b"), "shared");
    Files.createDirectories(root.resolve("z"));
    Files.createLink(root.resolve("a"), root.resolve("b"));
    Files.createLink(root.resolve("z/c"), root.resolve("b"));

    List<ContextEntry> entries = BuildContext.open(root, IgnoreMatcher.none()).entries();

    assertThat(ContextTrees.describe(entries)).isEqualTo("a\nb => a\nz/\nz/c => a\n");
    assertThat(entries.get(0).linkCount()).isEqualTo(3);
    assertThat(entries.get(1).fileId()).isEqualTo(entries.get(0).fileId());
    assertThat(entries.get(1).size()).isEqualTo(6);
  }

  @Test
  void aHardlinkWhoseFirstPathIsIgnoredBecomesTheFirst() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ctx"));
    Files.writeString(root.resolve("a"), "x");
    Files.createLink(root.resolve("b"), root.resolve("a"));

    List<ContextEntry> entries = BuildContext.open(root, IgnoreMatcher.of(List.of("a"))).entries();

    assertThat(ContextTrees.describe(entries)).isEqualTo("b\n");
  }

  @Test
  void sourcesThatClimbOutOfTheContextAreRefused() throws IOException {
    BuildContext ctx = context(List.of("a/b", "x"));

    for (String source : List.of("..", "../x", "a/../../x", "/../x", "./a/../../etc/passwd")) {
      assertThatThrownBy(() -> ctx.resolveSource(source)).as(source)
          .isInstanceOf(ContextPathException.class).hasMessageContaining("outside the build context");
    }
    assertThat(ctx.resolveSource("a/../x").entries()).extracting(ContextEntry::path)
        .containsExactly("x");
    assertThat(ctx.resolveSource("/x").entries()).extracting(ContextEntry::path)
        .containsExactly("x");
    assertThat(ctx.resolveSource(".").entries()).extracting(ContextEntry::path)
        .containsExactly(".");
  }

  @Test
  void wildcardSourcesSelectMatchingEntriesAndDirectoriesStandForTheirSubtree() throws IOException {
    BuildContext ctx = context(List.of("a.txt", "b.txt", "c.md", "src/one/main.c", "src/two/main.c",
        "src/two/util.c", "srcx/main.c", "dir1/f", "dir2/g", "file[1].txt"));

    assertThat(paths(ctx.resolveSource("*.txt"))).containsExactly("a.txt", "b.txt", "file[1].txt");
    assertThat(paths(ctx.resolveSource("?.md"))).containsExactly("c.md");
    assertThat(paths(ctx.resolveSource("src/*/main.c")))
        .containsExactly("src/one/main.c", "src/two/main.c");
    assertThat(paths(ctx.resolveSource("dir[0-9]"))).containsExactly("dir1", "dir2");
    assertThat(paths(ctx.resolveSource("src*"))).containsExactly("src", "srcx");
    // escapes only mean something in a source that has wildcards, as in BuildKit
    assertThat(paths(ctx.resolveSource("file\\[1]*"))).containsExactly("file[1].txt");
    assertThat(ctx.resolveSource("file\\[1].txt").found()).isFalse();
    assertThat(ctx.resolveSource("*.none").found()).isFalse();
  }

  @Test
  void aMissingSourceSaysWhetherTheIgnoreFileExcludedIt() throws IOException {
    BuildContext ctx = context(List.of("app.jar", "target/classes/A.class", "keep.txt"),
        "*.jar", "target");

    SourceMatch ignored = ctx.resolveSource("app.jar");
    assertThat(ignored.found()).isFalse();
    assertThat(ignored.excludedByIgnore()).isTrue();
    assertThat(ignored.missingMessage(".dockerignore"))
        .isEqualTo("\"app.jar\": not found (excluded by .dockerignore)");
    assertThat(ctx.resolveSource("target/classes/A.class").excludedByIgnore()).isTrue();
    assertThat(ctx.resolveSource("*.jar").excludedByIgnore()).isTrue();
    assertThat(ctx.resolveSource("target/*/A.class").excludedByIgnore()).isTrue();
    SourceMatch absent = ctx.resolveSource("nothing.txt");
    assertThat(absent.excludedByIgnore()).isFalse();
    assertThat(absent.missingMessage(".dockerignore")).isEqualTo("\"nothing.txt\": not found");
    assertThat(ctx.resolveSource("*.zip").excludedByIgnore()).isFalse();
  }

  @Test
  void anIgnoredDirectoryIsListedOnlyWhenAnExceptionReincludesSomethingInside() throws IOException {
    BuildContext ctx = context(List.of("vendor/a/x.go", "vendor/b/y.go", "logs/one.log", "main.go"),
        "vendor", "!vendor/b", "logs");

    assertThat(ContextTrees.describe(ctx.entries()))
        .isEqualTo("main.go\nvendor/\nvendor/b/\nvendor/b/y.go\n");
  }

  @Test
  void entriesCarryModeSizeAndTimes() throws IOException {
    BuildContext ctx = context(List.of("bin/run.sh"));
    Path script = ctx.root().resolve("bin/run.sh");
    Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));

    ContextEntry e = BuildContext.open(ctx.root(), IgnoreMatcher.none()).entry("bin/run.sh").orElseThrow();

    assertThat(e.type()).isEqualTo(EntryType.FILE);
    assertThat(e.mode()).isEqualTo(0750);
    assertThat(e.size()).isEqualTo("bin/run.sh".length());
    assertThat(e.mtimeNanos()).isPositive();
    assertThat(e.fileId().inode()).isNotZero();
  }

  @Test
  void theDockerfileSpecificIgnoreFileWinsOverTheContextOne() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ctx"));
    ContextTrees.create(root, List.of("foo", "bar", "Dockerfile", "Dockerfile2"));
    Files.writeString(root.resolve(".dockerignore"), "foo\nbar\n");
    Files.writeString(root.resolve("Dockerfile.dockerignore"), "\nbar\n");
    Files.writeString(root.resolve("Dockerfile2.dockerignore"), "");

    IgnoreFile first = IgnoreFile.load(root, root.resolve("Dockerfile"));
    IgnoreFile second = IgnoreFile.load(root, root.resolve("Dockerfile2"));

    assertThat(first.displayName()).isEqualTo("Dockerfile.dockerignore");
    assertThat(first.patterns()).containsExactly("bar");
    assertThat(second.displayName()).as("an empty specific file reads as none").isEqualTo(".dockerignore");
    assertThat(second.patterns()).containsExactly("foo", "bar");
    assertThat(IgnoreFile.load(root, null).patterns()).containsExactly("foo", "bar");
    assertThat(BuildContext.open(root, root.resolve("Dockerfile")).entry("foo")).isPresent();
  }

  @Test
  void anInvalidIgnoreFileFailsNamingTheFile() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ctx"));
    Files.writeString(root.resolve(".dockerignore"), "!\n");

    assertThatThrownBy(() -> BuildContext.open(root, (Path) null))
        .isInstanceOf(IgnorePatternException.class)
        .hasMessageContaining("illegal exclusion pattern in .dockerignore");
  }

  private static List<String> paths(SourceMatch m) {
    return m.entries().stream().map(ContextEntry::path).toList();
  }
}
