package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct lstat read gives exactly what the unix attribute view gives. */
class StatTest {
  @TempDir Path temp;

  @Test
  void directReadAgreesWithTheAttributeViewOnEveryKindOfEntry() throws Exception {
    assertThat(Stat.direct()).as("tests run with sun.nio.fs opened, as the CLI does").isTrue();
    Path file = Files.writeString(temp.resolve("file"), "twelve bytes");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_234_567_891_234L));
    chmod("4755", file);
    Path dir = Files.createDirectory(temp.resolve("dir"));
    chmod("1777", dir);
    Path link = Files.createSymbolicLink(temp.resolve("link"), Path.of("file"));
    Path hard = Files.createLink(temp.resolve("hard"), file);
    Path fifo = temp.resolve("fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();

    for (Path p : List.of(file, dir, link, hard, fifo)) {
      assertThat(Stat.of(p, p.getFileName().toString()))
          .isEqualTo(Stat.portable(p, p.getFileName().toString()));
    }
    ContextEntry f = Stat.of(file, "file");
    assertThat(f.type()).isEqualTo(EntryType.FILE);
    assertThat(f.mode()).isEqualTo(04755);
    assertThat(f.size()).isEqualTo(12);
    assertThat(f.linkCount()).isEqualTo(2);
    assertThat(f.mtimeNanos()).isEqualTo(1_234_567_891_234_000_000L);
    assertThat(Stat.of(hard, "hard").fileId()).isEqualTo(f.fileId());
    assertThat(Stat.of(dir, "dir").mode()).isEqualTo(01777);
    assertThat(Stat.of(link, "link").linkTarget()).isEqualTo("file");
    assertThat(Stat.of(fifo, "fifo").type()).isEqualTo(EntryType.OTHER);
  }

  private static void chmod(String mode, Path p) throws IOException, InterruptedException {
    assertThat(new ProcessBuilder("chmod", mode, p.toString()).inheritIO().start().waitFor()).isZero();
  }
}
