package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.RunPreconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work directory's memory filesystem is found in the mount table (also under a path with a space,
 * which the table escapes) and {@link RunWorkspace#remove} detaches it before deleting the tree,
 * leaving a sibling with a similar name alone.
 */
class RunWorkspaceTest {
  @TempDir Path tmp;

  @Test
  void mountTableFieldsAreUnescaped() {
    assertThat(RunWorkspace.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
    assertThat(RunWorkspace.unescape("/plain\\09")).isEqualTo("/plain\\09");
  }

  @Test
  void removeDetachesTheMemoryFilesystemThenDeletesTheTree() throws Exception {
    RunPreconditions.require();
    Path work = Files.createDirectories(tmp.resolve("store with space/build-1"));
    Path sibling = Files.createDirectories(tmp.resolve("store with space/build-10"));
    Path mem = RunWorkspace.mountMemory(work);
    Files.writeString(mem.resolve("secret"), "in memory");
    assertThat(RunWorkspace.mountsUnder(work)).containsExactly(mem);
    assertThat(RunWorkspace.mountsUnder(sibling)).isEmpty();

    RunWorkspace.remove(work);
    assertThat(work).doesNotExist();
    assertThat(sibling).exists();
    assertThat(RunWorkspace.mountsUnder(tmp)).isEmpty();
  }
}
