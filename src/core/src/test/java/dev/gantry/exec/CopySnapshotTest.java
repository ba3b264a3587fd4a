package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy-and-diff snapshotter (used where overlayfs cannot be mounted) gives the same filesystem as overlay. */
class CopySnapshotTest {
  static final String SCRIPT = "mkdir -p /a/b && echo x > /a/b/f && chown 1000:50 /a/b/f && chmod 4755 /a/b/f"
      + " && rm /etc/group && rm -rf /home && mkdir /home && echo n > /home/new && touch /tmp/t && rm /tmp/t"
      + " && ln -s /a/b/f /link && chmod 700 /bin && mkdir -p /work";
  @TempDir Path tmp;

  @Test
  void sameFilesystemAsTheOverlaySnapshotter() throws IOException {
    ExecFixture fx = new ExecFixture(tmp);
    RootfsCache cache = new RootfsCache(fx.store);
    Runc runc = Runc.create(tmp.resolve("runc"));
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", SCRIPT), List.of(), "", "/work",
        ContainerProcess.Network.DEFAULT, Map.of());
    List<LayerEntry> overlay = new RunExecutor(cache, runc).run(List.of(fx.layer), List.of(fx.diffId), req,
        Files.createTempDirectory(tmp, "o"), l -> { }).entries();
    List<LayerEntry> copy = RunExecutor.copying(cache, runc).run(List.of(fx.layer), List.of(fx.diffId), req,
        Files.createTempDirectory(tmp, "c"), l -> { }).entries();
    Path base = cache.lowerDirs(List.of(fx.layer), List.of(fx.diffId)).get(0);
    Map<String, String> viaOverlay = flatten(base, overlay);
    Map<String, String> viaCopy = flatten(base, copy);
    assertThat(viaCopy).isEqualTo(viaOverlay);
    assertThat(viaCopy).containsKeys("a/b/f", "home/new", "link", "work").doesNotContainKeys("etc/group",
        "home/app", "tmp/t", "proc", "dev", "sys", "etc/hosts");
    assertThat(viaCopy.get("a/b/f")).startsWith("FILE 2541 1000:50");
    assertThat(viaCopy.get("bin")).startsWith("DIR 448 0:0");
    assertThat(copy).noneMatch(e -> e.path().startsWith("bin/"));
  }

  private static Map<String, String> flatten(Path base, List<LayerEntry> layer) throws IOException {
    Map<String, String> fs = new TreeMap<>();
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.filter(p -> !p.equals(base)).toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = Files.isSymbolicLink(p) ? "SYMLINK" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "DIR" : "FILE";
        String content = type.equals("FILE") ? new String(Files.readAllBytes(p)).hashCode() + ""
            : type.equals("SYMLINK") ? Files.readSymbolicLink(p).toString() : "";
        fs.put(base.relativize(p).toString(), type + " " + (type.equals("SYMLINK") ? 0777 : mode & 07777) + " "
            + a.get("uid") + ":" + a.get("gid") + " " + content);
      }
    }
    for (LayerEntry e : layer) {
      if (e.type() == EntryType.WHITEOUT || e.type() == EntryType.OPAQUE_WHITEOUT) {
        fs.keySet().removeIf(k -> k.startsWith(e.path() + "/"));
        if (e.type() == EntryType.WHITEOUT) {
          fs.remove(e.path());
        }
        continue;
      }
      String content = "";
      if (e.type() == EntryType.FILE) {
        try (InputStream in = e.content().open()) {
          content = new String(in.readAllBytes()).hashCode() + "";
        }
      } else if (e.type() == EntryType.SYMLINK) {
        content = e.linkTarget();
      }
      fs.put(e.path(), e.type() + " " + e.mode() + " " + e.uid() + ":" + e.gid() + " " + content);
    }
    return fs;
  }
}
