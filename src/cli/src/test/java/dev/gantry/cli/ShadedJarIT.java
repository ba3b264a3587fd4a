package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code gantry.jar} as users run it (after {@code package}): its weight, one Jackson
 * version, and a build that reaches the classes the shade plugin keeps only when the code can reach
 * them (xz and bzip2 archives through commons-compress, zstd layers through zstd-jni's native code).
 */
class ShadedJarIT {
  /** The size the jar must stay under: 12 MB. */
  private static final long MAX_BYTES = 12_000_000;

  @TempDir Path tmp;

  private static Path jar() {
    Path jar = CliTest.repo().resolve("src/cli/target/gantry.jar");
    assertThat(jar).as("the shaded jar is made in the package phase").isRegularFile();
    return jar;
  }

  @Test
  void staysUnderTwelveMegabytesWithOneJacksonVersion() throws IOException {
    assertThat(Files.size(jar())).isLessThan(MAX_BYTES);
    Set<String> versions = new TreeSet<>();
    try (JarFile jar = new JarFile(jar().toFile())) {
      for (ZipEntry e : jar.stream().toList()) {
        if (e.getName().startsWith("META-INF/maven/com.fasterxml.jackson.") && e.getName().endsWith("pom.properties")) {
          Properties p = new Properties();
          p.load(jar.getInputStream(e));
          // jackson-annotations is versioned by release line alone ("2.23" beside core's "2.23.0")
          versions.add(p.getProperty("version").replaceFirst("^(\\d+\\.\\d+).*", "$1"));
        }
      }
    }
    assertThat(versions).hasSize(1);
  }

  @Test
  void buildsArchivesIntoZstdLayers() throws Exception {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    writeTar(new XZCompressorOutputStream(Files.newOutputStream(context.resolve("a.tar.xz"))), "from-xz");
    writeTar(new BZip2CompressorOutputStream(Files.newOutputStream(context.resolve("b.tar.bz2"))), "from-bzip2");
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nADD a.tar.xz /x/\nADD b.tar.bz2 /y/\n");
    Path out = tmp.resolve("image");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar().toString(), "build", "--cache-dir", tmp.resolve("store").toString(), "--compression", "zstd",
        "-q", "-o", "type=oci,dest=" + out, context.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
    List<String> manifests;
    try (var blobs = Files.list(out.resolve("blobs/sha256"))) {
      manifests = blobs.map(this::read).filter(s -> s.contains("\"schemaVersion\"") && s.contains("\"layers\"")).toList();
    }
    assertThat(manifests).singleElement().asString()
        .contains("application/vnd.oci.image.layer.v1.tar+zstd");
  }

  private String read(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeTar(OutputStream compressed, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
      TarArchiveEntry e = new TarArchiveEntry("file.txt");
      e.setSize(bytes.length);
      tar.putArchiveEntry(e);
      tar.write(bytes);
      tar.closeArchiveEntry();
    }
  }
}
