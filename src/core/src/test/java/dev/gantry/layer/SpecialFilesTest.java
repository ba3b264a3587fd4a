package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.Tools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIFOs and devices in a layer are created with their mode, owner and time but never opened:
 * opening a FIFO blocks until a writer comes, opening a device runs its driver (a watchdog reboots).
 */
class SpecialFilesTest {
  static final Instant T = Instant.parse("2003-04-05T06:07:08.1234567Z");
  @TempDir Path tmp;

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fifosAndDevicesGetTheirMetadataWithoutBeingOpened() throws IOException {
    Tools.require("root".equals(System.getProperty("user.name")), "creating devices needs root");
    byte[] tar = new HostileTars()
        .node("dev/fifo", TarArchiveEntry.LF_FIFO, 010640, 1001, 1002, T, 0, 0)
        .node("dev/null", TarArchiveEntry.LF_CHR, 020606, 0, 5, T, 1, 3)
        .node("dev/loop9", TarArchiveEntry.LF_BLK, 060660, 0, 6, T, 7, 9)
        .node("dev/big", TarArchiveEntry.LF_CHR, 020600, 0, 0, T, 4095, 1048575)
        .bytes();
    Path root = tmp.resolve("root");
    SafeExtractor.create().allowDevices(true).preserveOwners(true).extract(new ByteArrayInputStream(tar), root);
    assertThat(attrs(root.resolve("dev/fifo"))).isEqualTo("10640 1001:1002 0 " + FileTime.from(T));
    assertThat(attrs(root.resolve("dev/null"))).isEqualTo("20606 0:5 " + (1 << 8 | 3) + " " + FileTime.from(T));
    assertThat(attrs(root.resolve("dev/loop9"))).isEqualTo("60660 0:6 " + (7 << 8 | 9) + " " + FileTime.from(T));
    long big = (1048575L & 0xff) | (4095L << 8) | ((1048575L & ~0xffL) << 12);
    assertThat(attrs(root.resolve("dev/big"))).isEqualTo("20600 0:0 " + big + " " + FileTime.from(T));
  }

  static String attrs(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    return Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":" + a.get("gid") + " " + a.get("rdev")
        + " " + a.get("lastModifiedTime");
  }
}
