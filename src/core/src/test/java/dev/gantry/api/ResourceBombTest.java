package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.childJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.model.BuildException;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs built to exhaust a resource: a compression bomb ADDed in a JVM with a small heap, and a
 * store on a full disk. Each ends in bounded memory and time, with a clear error where there is one,
 * and leaves the store consistent.
 */
class ResourceBombTest {
  @TempDir Path tmp;

  /** 512 MiB of zeros in a tar.gz of about half a megabyte, unpacked by ADD in a 64 MiB heap. */
  @Test
  void aCompressionBombIsStreamedInBoundedMemory() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    long size = 512L << 20;
    try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(ctx.resolve("bomb.tar.gz")), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry e = new TarArchiveEntry("zeros");
      e.setSize(size);
      tar.putArchiveEntry(e);
      byte[] block = new byte[1 << 20];
      for (long done = 0; done < size; done += block.length) {
        tar.write(block);
      }
      tar.closeArchiveEntry();
    }
    assertThat(Files.size(ctx.resolve("bomb.tar.gz"))).isLessThan(2L << 20);
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD bomb.tar.gz /data/\n");
    Process p = new ProcessBuilder(childJvm(List.of("-Xmx64m"), List.of(ctx.toString(), tmp.resolve("store").toString())))
        .redirectErrorStream(true).start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("the build finished in time").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("manifest=sha256:").doesNotContain("OutOfMemoryError");
  }

  /**
   * A store on a 24 MiB file system: a build that needs more fails at its step with the system's
   * "No space left on device", the store verifies clean, and a build that fits succeeds afterwards.
   */
  @Test
  void aFullDiskFailsTheStepAndLeavesTheStoreConsistent() throws Exception {
    Tools.require("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
    Path mnt = Files.createDirectories(tmp.resolve("small"));
    Commands.ok(tmp, List.of("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt.toString()));
    try {
      Path store = mnt.resolve("store");
      Path ctx = Files.createDirectories(tmp.resolve("big"));
      byte[] noise = new byte[40 << 20];
      new Random(7).nextBytes(noise);
      Files.write(ctx.resolve("big.bin"), noise);
      Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY big.bin /\n");
      assertThatThrownBy(() -> new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).build()))
          .isInstanceOf(BuildException.class)
          .hasMessageStartingWith("Dockerfile:2:1: COPY big.bin /")
          .hasMessageContaining("No space left on device");
      assertThat(Store.open(store).verify().corrupt()).isEmpty();

      Path small = Files.createDirectories(tmp.resolve("fits"));
      Files.writeString(small.resolve("a.txt"), "fits\n");
      Files.writeString(small.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /\n");
      BuildResult ok = new Gantry().build(BuildRequest.builder(small).storeDirectory(store).build());
      assertThat(ok.steps()).hasSize(1);
      assertThat(Store.open(store).verify().corrupt()).isEmpty();
    } finally {
      Commands.run(tmp, List.of("umount", "-l", mnt.toString()));
    }
  }

}
