package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.noise;
import static dev.gantry.api.EngineFixtures.touch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same build from two copies of a context that differ only in what must not matter (directory
 * path, mtimes, creation order, the build's time zone and umask, the store) gives the same manifest
 * digest and byte-identical archives; SOURCE_DATE_EPOCH changes the digest, stably.
 */
class ReproducibilityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DOCKERFILE = """
      FROM scratch
      COPY app /opt/app
      COPY --chmod=0640 docs/readme.txt /opt/docs/
      COPY link /opt/link
      ENV PATH=/opt/app/bin
      LABEL org.example.name=repro
      WORKDIR /opt/app
      ENTRYPOINT ["/opt/app/bin/run.sh"]
      """;
  /** Relative path -> [permissions, content]; a null content is a directory. */
  static final Map<String, String[]> FILES = new TreeMap<>(Map.of(
      "Dockerfile", new String[] {"rw-r--r--", DOCKERFILE},
      "app", new String[] {"rwxr-xr-x", null},
      "app/bin", new String[] {"rwxr-xr-x", null},
      "app/bin/run.sh", new String[] {"rwxr-xr-x", "#!/bin/sh\necho run\n"},
      "app/conf", new String[] {"rwxr-x---", null},
      "app/conf/a.properties", new String[] {"rw-r--r--", "a=1\n"},
      "app/conf/b.properties", new String[] {"rw-rw-r--", "b=2\n"},
      "app/empty", new String[] {"rwxr-xr-x", null},
      "docs", new String[] {"rwxr-xr-x", null},
      "docs/readme.txt", new String[] {"rw-r--r--", "read me\n"}));

  @TempDir Path work;

  /** Writes the context below {@code dir}, in {@code order}, with every time set to {@code mtime}. */
  static Path context(Path dir, List<String> order, Instant mtime) throws IOException {
    Files.createDirectories(dir);
    for (String rel : order) {
      String[] spec = FILES.get(rel);
      Path p = dir.resolve(rel);
      Files.createDirectories(p.getParent());
      if (spec[1] == null) {
        Files.createDirectories(p);
      } else {
        Files.writeString(p, spec[1]);
      }
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(spec[0]));
    }
    Files.write(dir.resolve("app/lib.bin"), noise(200_000, 3));
    Files.setPosixFilePermissions(dir.resolve("app/lib.bin"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("app/bin/run.sh"));
    List<Path> all = new ArrayList<>();
    try (var s = Files.walk(dir)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      if (!Files.isSymbolicLink(p)) {
        touch(p, mtime);
      }
    }
    return dir;
  }

  static Path first(Path work) throws IOException {
    return context(work.resolve("one/ctx"), new ArrayList<>(FILES.keySet()), Instant.parse("2001-02-03T04:05:06Z"));
  }

  static Path second(Path work) throws IOException {
    List<String> reversed = new ArrayList<>(FILES.keySet());
    Collections.reverse(reversed);
    return context(work.resolve("elsewhere/deeper/another-name"), reversed, Instant.parse("2024-06-07T08:09:10.123Z"));
  }

  BuildResult build(Path context, Path out, Long epoch) throws BuildException {
    BuildRequest.Builder b = BuildRequest.builder(context).storeDirectory(out.resolve("store"))
        .output(new Output.OciArchive(out.resolve("image.tar")));
    if (epoch != null) {
      b.sourceDateEpoch(epoch);
    }
    return new Gantry().build(b.build());
  }

  /** Builds {@code context} in a child JVM whose time zone is UTC+14 and whose umask is 077. */
  static Digest buildInChild(Path context, Path out, Long epoch) throws Exception {
    List<String> args = new ArrayList<>(List.of(context.toString(), out.resolve("store").toString(), "--archive",
        out.resolve("image.tar").toString()));
    if (epoch != null) {
      args.addAll(List.of("--epoch", epoch.toString()));
    }
    List<String> java = EngineFixtures.childJvm(List.of("-Duser.timezone=Pacific/Kiritimati"), args);
    StringBuilder line = new StringBuilder("umask 077 && exec");
    for (String a : java) {
      line.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", line.toString()).redirectErrorStream(true);
    pb.environment().put("TZ", "Pacific/Kiritimati");
    return EngineFixtures.awaitDigest(pb.start());
  }

  @Test
  void twoCopiesOfTheContextGiveTheSameImage() throws Exception {
    BuildResult one = build(first(work), work.resolve("out-one"), null);
    Digest two = buildInChild(second(work), work.resolve("out-two"), null);
    assertThat(two).isEqualTo(one.manifestDigest());
    assertThat(Files.readAllBytes(work.resolve("out-two/image.tar")))
        .isEqualTo(Files.readAllBytes(work.resolve("out-one/image.tar")));
    assertThat(config(work.resolve("out-one/image.tar")).path("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void sourceDateEpochChangesTheDigestAndStaysStable() throws Exception {
    long epoch = 1_700_000_000L;
    Digest plain = build(first(work), work.resolve("plain"), null).manifestDigest();
    BuildResult one = build(first(work.resolve("a")), work.resolve("out-one"), epoch);
    Digest two = buildInChild(second(work), work.resolve("out-two"), epoch);
    assertThat(one.manifestDigest()).isNotEqualTo(plain);
    assertThat(two).isEqualTo(one.manifestDigest());
    assertThat(Files.readAllBytes(work.resolve("out-two/image.tar")))
        .isEqualTo(Files.readAllBytes(work.resolve("out-one/image.tar")));
    JsonNode config = config(work.resolve("out-one/image.tar"));
    assertThat(config.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    for (JsonNode h : config.path("history")) {
      assertThat(h.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    }
  }

  @Test
  void aCacheHitGivesTheImageAColdBuildGives() throws Exception {
    long epoch = 1_700_000_000L;
    Path store = work.resolve("shared-store");
    BuildRequest.Builder warm = BuildRequest.builder(first(work)).storeDirectory(store).sourceDateEpoch(epoch);
    new Gantry().build(warm.build());
    Path other = second(work);
    BuildResult hit = new Gantry().build(BuildRequest.builder(other).storeDirectory(store)
        .sourceDateEpoch(epoch).build());
    assertThat(hit.steps()).allMatch(StepResult::cached);
    BuildResult cold = new Gantry().build(BuildRequest.builder(other).storeDirectory(work.resolve("cold"))
        .sourceDateEpoch(epoch).build());
    assertThat(cold.cachedSteps()).isZero();
    assertThat(hit.manifestDigest()).isEqualTo(cold.manifestDigest());
  }

  /** The image config inside an OCI archive, read without Gantry code. */
  static JsonNode config(Path archive) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(archive))) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile() && e.getSize() < (1 << 20)) {
          entries.put(e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
        }
      }
    }
    JsonNode index = JSON.readTree(entries.get("index.json"));
    JsonNode manifest = JSON.readTree(blob(entries, index.path("manifests").get(0).path("digest").asText()));
    return JSON.readTree(blob(entries, manifest.path("config").path("digest").asText()));
  }

  private static byte[] blob(Map<String, byte[]> entries, String digest) {
    return entries.get("blobs/" + digest.replace(':', '/'));
  }
}
