package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RUN after COPY and ADD gets the directories of the layers the build just wrote from the files
 * it wrote them from, not by unpacking their blobs: the blobs may be unreadable while it runs. When
 * a file changed since its layer was written, the blob is unpacked instead. Either way the image is
 * the one a build unpacking the blobs makes. Needs runc and busybox-static.
 */
@Timeout(300)
class CopyLowerRunTest {
  private static final String COPIES = "FROM scratch\nADD base.tar /\nCOPY c/ /c/\nCOPY --chown=1000:50 c/f.txt /owned\n";
  /** What the RUN saw, in its layer (a symlink's time is left out: extraction does not set it). */
  private static final String RUN = "RUN stat -c '%n %F %a %u %g %s %Y' /c/f.txt /c/shared /c/shared/x"
      + " /c/empty /owned > /seen && stat -c '%n %F %a %u %g %s' /c/link >> /seen"
      + " && cat /c/f.txt /owned >> /seen && readlink /c/link >> /seen"
      + " && ls -a /c/empty >> /seen && cat /seen\n";
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
    fx.writeBusyboxBase();
    fx.write("c/f.txt", "hello\n");
    Files.setAttribute(fx.context.resolve("c/f.txt"), "unix:mode", 0640);
    Files.createSymbolicLink(fx.context.resolve("c/link"), Path.of("f.txt"));
    fx.write("c/shared/x", "x\n");
    Files.setAttribute(fx.context.resolve("c/shared"), "unix:mode", 02775);
    Files.createDirectories(fx.context.resolve("c/empty"));
    fx.dockerfile(COPIES + RUN);
  }

  @Test
  void runGetsTheCopiedLayersFromTheirFilesWhileTheirBlobsAreUnreadable() throws Exception {
    BlobSabotage sabotage = new BlobSabotage(fx.store);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    BuildResult fast = build(fx.store, events(sabotage, seen));
    assertThat(sabotage.spoiled).as("the ADD and both COPY layers were unreadable during the RUN").hasSize(3);
    assertThat(seen).hasSize(11).startsWith("/c/f.txt regular file 640 0 0 6 1000")
        .endsWith("/owned regular file 640 1000 50 6 1000", "/c/link symbolic link 777 0 0 5", "hello", "hello", "f.txt",
            ".", "..")
        .anyMatch(l -> l.startsWith("/c/shared directory 2775 0 0 "))
        .anyMatch(l -> l.startsWith("/c/empty directory 755 0 0 "))
        .contains("/c/shared/x regular file 644 0 0 2 1000");

    // the same sabotage fails a build whose RUN unpacks the blobs (its COPY layers come from the cache)
    Path other = work.resolve("other-store");
    build(other, e -> { }, COPIES);
    BlobSabotage control = new BlobSabotage(other);
    assertThatThrownBy(() -> build(other, events(control, new ArrayList<>()))).isInstanceOf(BuildException.class);
    control.restore();
    List<String> unpacked = Collections.synchronizedList(new ArrayList<>());
    BuildResult fromBlobs = build(other, events(null, unpacked));
    assertThat(fromBlobs.cachedSteps()).isEqualTo(3);
    assertThat(unpacked).isEqualTo(seen);
    assertThat(fast.manifestDigest()).isEqualTo(fromBlobs.manifestDigest());
  }

  @Test
  void aFileChangedAfterItsLayerWasWrittenLeavesTheDirectoryToTheBlob() throws Exception {
    Path other = work.resolve("other-store");
    build(other, e -> { }, COPIES);
    List<String> expected = Collections.synchronizedList(new ArrayList<>());
    BuildResult fromBlobs = build(other, events(null, expected));

    Path f = fx.context.resolve("c/f.txt");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    BuildListener listener = events(null, seen);
    BuildResult changed = build(fx.store, e -> {
      if (e instanceof BuildEvent.Started s && s.step().text().startsWith("RUN")) {
        try {
          // as long as it was: only the bytes differ from the layer's
          Files.writeString(f, "HELLO\n");
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }
      listener.onEvent(e);
    });
    assertThat(seen).contains("hello").doesNotContain("HELLO").isEqualTo(expected);
    assertThat(changed.manifestDigest()).isEqualTo(fromBlobs.manifestDigest());
  }

  private BuildResult build(Path store, BuildListener listener) throws Exception {
    return new Gantry().build(request(store, listener).build());
  }

  private BuildResult build(Path store, BuildListener listener, String dockerfile) throws Exception {
    Path file = fx.context.resolve("Dockerfile.copies");
    Files.writeString(file, dockerfile);
    return new Gantry().build(request(store, listener).dockerfile(file).build());
  }

  /** Times clamped, so that builds of the same files give the same image whenever they run. */
  private BuildRequest.Builder request(Path store, BuildListener listener) {
    return fx.request().storeDirectory(store).listener(listener).sourceDateEpoch(1000).rewriteTimestamp(true);
  }

  /** Collects the RUN's output lines in {@code lines}; spoils the store's blobs while it runs when {@code sabotage}. */
  private static BuildListener events(BlobSabotage sabotage, List<String> lines) {
    return e -> {
      if (e instanceof BuildEvent.Output o) {
        lines.add(o.line());
      }
      boolean run = e instanceof BuildEvent.Started s && s.step().text().startsWith("RUN");
      if (sabotage != null && run) {
        sabotage.spoil();
      } else if (sabotage != null && (e instanceof BuildEvent.Done || e instanceof BuildEvent.Failed)) {
        sabotage.restore();
      }
    };
  }

  /** Overwrites every blob of a store with random bytes of its size, and puts the bytes back. */
  private static final class BlobSabotage {
    private final Path blobs;
    final Map<Path, byte[]> spoiled = new LinkedHashMap<>();

    BlobSabotage(Path store) {
      this.blobs = store.resolve("v1").resolve("blobs").resolve("sha256");
    }

    void spoil() {
      try (Stream<Path> s = Files.list(blobs)) {
        Random random = new Random(1);
        for (Path p : s.toList()) {
          byte[] bytes = Files.readAllBytes(p);
          byte[] junk = new byte[bytes.length];
          random.nextBytes(junk);
          spoiled.put(p, bytes);
          Files.write(p, junk);
        }
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }

    void restore() {
      try {
        for (Map.Entry<Path, byte[]> b : spoiled.entrySet()) {
          Files.write(b.getKey(), b.getValue());
        }
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
  }
}
