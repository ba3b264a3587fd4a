package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Compression;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk usage and prune of the directories RUN leaves in the store, with runc: unpacked layers
 * ({@code v1/rootfs}) and cache mounts are counted, the sizes add up to what a walk of the store
 * finds, a plain prune keeps unpacked layers whose blobs are stored, and {@code --all} removes them.
 */
class StoreUsageRunTest {
  @TempDir Path tmp;
  Path context;
  Path store;
  final Gantry gantry = new Gantry();

  @BeforeEach
  void setUp() throws IOException {
    Tools.requireContainers();
    context = Files.createDirectories(tmp.resolve("ctx"));
    store = tmp.resolve("store");
    BusyboxRootfs.write(context.resolve("base.tar"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nADD base.tar /\n"
        + "RUN --mount=type=cache,target=/cache echo cached > /cache/note && echo done > /done\n");
  }

  @Test
  void sizesAddUpToTheStoreOnDiskAndAllRemovesRunDirectories() throws Exception {
    gantry.build(BuildRequest.builder(context).storeDirectory(store).compression(Compression.NONE)
        .build());

    StoreUsage du = gantry.diskUsage(store);
    Map<String, StoreUsage.Category> byName = du.categories().stream()
        .collect(Collectors.toMap(StoreUsage.Category::name, Function.identity()));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("blobs", "cache records", "RUN rootfs caches",
        "cache mounts", "other");
    // the base layer, unpacked, and the RUN's upper directory, kept as the next RUN's lower
    assertThat(byName.get("RUN rootfs caches").count()).isEqualTo(2);
    assertThat(byName.get("cache mounts").count()).isEqualTo(1);
    Path v1 = store.toRealPath().resolve("v1");
    assertThat(byName.get("blobs").bytes()).isEqualTo(walk(v1.resolve("blobs")));
    assertThat(byName.get("cache records").bytes()).isEqualTo(walk(v1.resolve("records")));
    assertThat(byName.get("RUN rootfs caches").bytes()).isEqualTo(walk(v1.resolve("rootfs")))
        .isGreaterThan(Files.size(Path.of("/bin/busybox")));
    assertThat(byName.get("cache mounts").bytes()).isEqualTo(walk(v1.resolve("cache-mounts"))).isEqualTo(7);
    assertThat(du.totalBytes()).isEqualTo(walk(store));
    assertThat(du.entries().stream().mapToLong(StoreUsage.Entry::bytes).sum() + byName.get("other").bytes())
        .isEqualTo(du.totalBytes());

    PruneResult plain = gantry.prune(PruneRequest.builder().storeDirectory(store).build());
    assertThat(plain.directories()).isZero();
    assertThat(plain.blobs()).as("the untagged image's manifest and config").isEqualTo(2);
    assertThat(gantry.diskUsage(store).categories().subList(2, 4)).isEqualTo(du.categories().subList(2, 4));

    PruneResult all = gantry.prune(PruneRequest.builder().storeDirectory(store).all(true).build());
    assertThat(all.directories()).isEqualTo(3);
    assertThat(all.buildsRunning()).isFalse();
    assertThat(list(v1.resolve("rootfs"))).isEmpty();
    assertThat(list(v1.resolve("cache-mounts"))).isEmpty();
    assertThat(gantry.diskUsage(store).totalBytes()).isEqualTo(walk(store));

    // The next build unpacks and mounts again.
    gantry.build(BuildRequest.builder(context).storeDirectory(store).compression(Compression.NONE)
        .build());
    assertThat(list(v1.resolve("rootfs"))).hasSize(2);
  }

  /** The apparent bytes of the regular files and links below {@code root}, each inode once. */
  static long walk(Path root) throws IOException {
    Set<Object> seen = new HashSet<>();
    long total = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if ((a.isRegularFile() || a.isSymbolicLink()) && seen.add(a.fileKey())) {
          total += a.size();
        }
      }
    }
    return total;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
