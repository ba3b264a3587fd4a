package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Digest;
import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ADD as BuildKit does it: local archives are recognised by their content (not their name) and
 * unpacked with their modes, owners and links; anything else is copied; {@code --unpack=false}
 * copies an archive as is; URLs are downloaded (not unpacked unless {@code --unpack=true}) as mode
 * 0600 files named after the URL's last path element ({@code __unnamed__} when it has none), with
 * the server's Last-Modified time, and {@code --checksum} is verified.
 */
class AddSourcesTest {
  private static final Instant LAST_MODIFIED = Instant.parse("2021-03-04T05:06:07Z");
  /** Far enough in the future that SOURCE_DATE_EPOCH clamping keeps the server's time. */
  private static final long EPOCH = 4_000_000_000L;
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
  }

  static byte[] sampleTar() throws IOException {
    return new TestTars().dir("d/", 0750, 1000, 50).file("d/f", "data", 0640, 1000, 50)
        .symlink("d/l", "f").file("x.sh", "#!/bin/sh\n", 04755, 0, 0).tar();
  }

  static String expectedUnder(String dir) {
    return "/" + dir + "  dir 00755 0:0\n"
        + "/" + dir + "/d  dir 00750 1000:50\n"
        + "/" + dir + "/d/f  file 00640 1000:50 " + BuildFixture.sha16("data") + "\n"
        + "/" + dir + "/d/l  symlink 0:0 -> f\n"
        + "/" + dir + "/x.sh  file 04755 0:0 " + BuildFixture.sha16("#!/bin/sh\n") + "\n";
  }

  @ParameterizedTest
  @EnumSource(TestTars.Format.class)
  void localArchivesAreDetectedByContentAndUnpacked(TestTars.Format format) throws Exception {
    fx.write("archive.bin", TestTars.compress(sampleTar(), format));
    fx.dockerfile("FROM scratch\nADD archive.bin /out/\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo(expectedUnder("out"));
  }

  @Test
  void chownAppliesToEveryUnpackedEntry() throws Exception {
    fx.write("archive.bin", TestTars.compress(sampleTar(), TestTars.Format.GZIP));
    fx.dockerfile("FROM scratch\nADD --chown=7:8 archive.bin /out\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("out", "dir 00755 7:8").containsEntry("out/d", "dir 00750 7:8")
        .containsEntry("out/d/f", "file 00640 7:8 " + BuildFixture.sha16("data"))
        .containsEntry("out/d/l", "symlink 7:8 -> f");
  }

  @Test
  void aFileNamedLikeAnArchiveButNotOneIsCopied() throws Exception {
    fx.write("fake.tar.gz", "just text, not gzip");
    fx.dockerfile("FROM scratch\nADD fake.tar.gz /dst/\n");
    assertThat(fx.build().files()).containsEntry("dst/fake.tar.gz",
        "file 00644 0:0 " + BuildFixture.sha16("just text, not gzip")).hasSize(2);
  }

  @Test
  void unpackFalseCopiesTheArchiveAsIs() throws Exception {
    byte[] gz = TestTars.compress(sampleTar(), TestTars.Format.GZIP);
    fx.write("archive.bin", gz);
    fx.dockerfile("FROM scratch\nADD --unpack=false archive.bin /d/\n");
    assertThat(fx.build().files()).containsEntry("d/archive.bin", "file 00644 0:0 " + BuildFixture.sha16(gz))
        .hasSize(2);
  }

  @Test
  void aUrlIsDownloadedNotUnpackedWithMode0600AndTheServersTime() throws Exception {
    byte[] gz = TestTars.compress(sampleTar(), TestTars.Format.GZIP);
    try (FileServer http = new FileServer().serve("/pkg/a.tar.gz", gz, LAST_MODIFIED)) {
      fx.dockerfile("FROM scratch\nADD " + http.url("/pkg/a.tar.gz") + " /d/\n");
      ImageSnapshot img = fx.build(r -> r.sourceDateEpoch(EPOCH));
      assertThat(img.files()).isEqualTo(Map.of("d", "dir 00755 0:0",
          "d/a.tar.gz", "file 00600 0:0 " + BuildFixture.sha16(gz)));
      assertThat(fx.mtimes()).containsEntry("d/a.tar.gz", LAST_MODIFIED);
    }
  }

  @Test
  void aUrlWithTheRightChecksumIsAdded() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    try (FileServer http = new FileServer().serve("/f.txt", body, LAST_MODIFIED)) {
      fx.dockerfile("FROM scratch\nADD --checksum=" + Digest.sha256(body) + " " + http.url("/f.txt") + " /f\n");
      assertThat(fx.build().files()).isEqualTo(Map.of("f", "file 00600 0:0 " + BuildFixture.sha16(body)));
    }
  }

  @Test
  void fileNamesComeFromTheUrlPath() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    try (FileServer http = new FileServer().serve("/", body, LAST_MODIFIED).serve("/dir/", body, LAST_MODIFIED)
        .serve("/q.txt", body, LAST_MODIFIED)) {
      fx.dockerfile("FROM scratch\nADD " + http.url("/") + " /a/\nADD " + http.url("/dir/") + " /b/\n"
          + "ADD " + http.url("/q.txt?version=2#frag") + " /c/\n");
      String file = "file 00600 0:0 " + BuildFixture.sha16(body);
      assertThat(fx.build().files()).containsEntry("a/__unnamed__", file).containsEntry("b/dir", file)
          .containsEntry("c/q.txt", file);
    }
  }

  @Test
  void unpackTrueUnpacksADownloadedArchive() throws Exception {
    byte[] xz = TestTars.compress(sampleTar(), TestTars.Format.XZ);
    try (FileServer http = new FileServer().serve("/a.bin", xz, LAST_MODIFIED)) {
      fx.dockerfile("FROM scratch\nADD --unpack=true " + http.url("/a.bin") + " /out/\n");
      assertThat(BuildFixture.files(fx.build())).isEqualTo(expectedUnder("out"));
    }
  }
}
