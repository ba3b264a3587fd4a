package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlay mounts by system call: short and long chains of lower directories, unmounting, detaching. */
class OverlayMountTest {
  @TempDir Path tmp;

  /** {@code n} lower directories named as the rootfs cache names them (64 hex digits), bottom first. */
  private List<Path> lowers(int n) throws Exception {
    Path base = Files.createDirectories(tmp.resolve("rootfs"));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path dir = Files.createDirectories(base.resolve(String.format("%064x", i)));
      Files.writeString(dir.resolve("layer-" + i), "i");
      Files.writeString(dir.resolve("top"), Integer.toString(i));
      out.add(dir);
    }
    return out;
  }

  private void mountsAndSeesEveryLayer(int n) throws Exception {
    Tools.require("root".equals(System.getProperty("user.name")), "overlay mounts need root here");
    List<Path> lowers = lowers(n);
    OverlayMount.Support how = OverlayMount.probe(tmp.resolve("rootfs"), Files.createDirectories(tmp.resolve("probe")));
    Tools.require(how != OverlayMount.Support.NONE, "overlayfs cannot be mounted here");
    Path work = Files.createDirectories(tmp.resolve("work"));
    try (OverlayMount m = OverlayMount.mount(tmp.resolve("rootfs"), lowers, work, how)) {
      for (int i = 0; i < n; i++) {
        assertThat(m.root().resolve("layer-" + i)).exists();
      }
      assertThat(Files.readString(m.root().resolve("top"))).isEqualTo(Integer.toString(n - 1));
      Files.writeString(m.root().resolve("new"), "x");
      m.close();
      assertThat(m.unmountedCleanly()).isTrue();
      assertThat(RunWorkspace.mountsUnder(work)).isEmpty();
      assertThat(m.upper().resolve("new")).hasContent("x");
    }
  }

  @Test
  void aShortChainIsMountedThroughAHandleOfItsDirectory() throws Exception {
    mountsAndSeesEveryLayer(3);
  }

  @Test
  void aChainTooLongForHandleNamesIsMountedWithRelativeNames() throws Exception {
    // 55 names of /proc/self/fd/N/ plus 64 digits exceed one page of options; relative names fit
    mountsAndSeesEveryLayer(55);
  }
}
