package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code gantry} command line: exit codes, output and error formats. */
class CliTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  @Test
  void versionAndHelp() {
    Run v = run("--version");
    assertThat(v.code()).isZero();
    assertThat(v.out()).startsWith("gantry ");
    Run h = run("build", "--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).startsWith("Usage: gantry build [OPTIONS] CONTEXT\n")
        .contains("  -o, --output=SPEC").contains("      --build-arg=KEY[=VALUE]").contains("Examples:")
        .contains("  -q, --quiet").contains("      --cache-dir=DIR").contains("2   usage error");
    assertThat(run("help", "build").out()).isEqualTo(h.out());
    assertThat(run("parse", "-V").out()).isEqualTo(v.out());
  }

  @Test
  void topLevelHelpListsEveryCommand() {
    Run h = run("--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("build").contains("push").contains("parse");
    Run p = run("push", "--help");
    assertThat(p.code()).isZero();
    assertThat(p.out()).contains("IMAGE").contains("DESTINATION").contains("oci-layout://");
  }

  @Test
  void pushOfAnImageTheStoreDoesNotHoldSaysHowToBuildIt() {
    Run missing = run("push", "--cache-dir", tmp.resolve("store").toString(), "app:9", "127.0.0.1:9/app:9");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("error: no image tagged \"app:9\" in the local store")
        .contains("hint: build it first (gantry build -t app:9 --cache-dir " + tmp.resolve("store") + " CONTEXT)")
        .contains("gantry push oci-layout://DIR 127.0.0.1:9/app:9");
    Run usage = run("push");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("error: missing parameter IMAGE")
        .contains("hint: see 'gantry push --help'");
  }

  @Test
  void parseDumpPrintsBuildKitFormat() throws IOException {
    Path df = Files.writeString(tmp.resolve("Dockerfile"), "FROM scratch\nCOPY --chown=1 a b /c/\nCMD [\"x\"]\n");
    Run r = run("parse", "--dump", df.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("(from \"scratch\")\n(copy [\"--chown=1\"] \"a\" \"b\" \"/c/\")\n(cmd \"x\")\n");
  }

  @Test
  void parseErrorsArePositionedAndExitOne() throws IOException {
    Path df = Files.writeString(tmp.resolve("Dockerfile"), "FROM scratch\nCOPY onlyone\nCOPPY a b\n");
    Run r = run("parse", df.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(df + ":2:1: COPY requires at least two arguments")
        .contains(df + ":3:1:").contains("COPY");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void usageErrorsExitTwo() {
    Run unknown = run("build", "--no-cach", ".");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("error: unknown option '--no-cach', did you mean '--no-cache'?")
        .contains("hint: see 'gantry build --help'");
    Run command = run("biuld", ".");
    assertThat(command.code()).isEqualTo(2);
    assertThat(command.err()).contains("unknown command 'biuld', did you mean 'build'?");
    assertThat(run("build", "--source-date-epoch", "soon", ".").err()).contains("--source-date-epoch is not a number");
    assertThat(run("build", "--compression", "lz4", ".").code()).isEqualTo(2);
    assertThat(run("build", "--no-such-flag", ".").code()).isEqualTo(2);
    assertThat(run("build", "-o", "type=weird,dest=x", ".").code()).isEqualTo(2);
    assertThat(run("build", "--progress", "fancy", ".").code()).isEqualTo(2);
  }

  @Test
  void buildsTheExampleIntoAnOciLayoutAndRebuildsFromCache() throws IOException {
    Path out = tmp.resolve("oci");
    Path store = tmp.resolve("store");
    String ctx = repo().resolve("examples/hello").toString();
    Run first = run("build", "-t", "hello:1.0", "-o", "type=oci,dest=" + out, "--cache-dir", store.toString(),
        "--progress", "plain", "--iidfile", tmp.resolve("iid").toString(), ctx);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(Files.readString(out.resolve("index.json"))).contains("\"org.opencontainers.image.ref.name\":\"1.0\"");
    String iid = Files.readString(tmp.resolve("iid"));
    assertThat(iid).startsWith("sha256:");
    assertThat(first.err()).contains("[site 1/2] COPY static/ /srv/www/").contains("DONE");
    Run second = run("build", "-q", "-t", "hello:1.0", "--cache-dir", store.toString(), ctx);
    assertThat(second.code()).isZero();
    assertThat(second.out().trim()).isEqualTo(iid);
    Run rewritten = run("build", "--rewrite-timestamp", "--cache-dir", store.toString(), "--progress", "plain", ctx);
    assertThat(rewritten.code()).as(rewritten.err()).isZero();
    assertThat(rewritten.err()).as("a key of its own").contains("[site 1/2] COPY static/ /srv/www/")
        .doesNotContain("CACHED");
  }

  @Test
  void theFinalLineNamesEveryOutputAndArchivesHonourTheUmask() throws IOException {
    Path store = tmp.resolve("store");
    Path docker = tmp.resolve("out/hello-docker.tar");
    Path ociTar = tmp.resolve("out/hello-oci.tar");
    Path layout = tmp.resolve("out/layout");
    String ctx = repo().resolve("examples/hello").toString();
    Run r = run("build", "-t", "hello:1.0", "-o", "type=docker,dest=" + docker, "-o", "type=oci,dest=" + ociTar
        + ",tar=true", "-o", layout.toString(), "--cache-dir", store.toString(), "--progress", "plain", ctx);
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.err().strip().split("\n");
    assertThat(lines[lines.length - 1]).matches("wrote image sha256:[0-9a-f]{64} \\(hello:1.0\\) to "
        + java.util.regex.Pattern.quote(docker + " (docker archive), " + ociTar + " (OCI archive), " + layout
        + " (OCI layout)"));
    Path reference = Files.createFile(tmp.resolve("out/reference"));
    Object mode = Files.getAttribute(reference, "unix:mode");
    assertThat(Files.getAttribute(docker, "unix:mode")).isEqualTo(mode);
    assertThat(Files.getAttribute(ociTar, "unix:mode")).isEqualTo(mode);

    Run kept = run("build", "--cache-dir", store.toString(), "--progress", "quiet", ctx);
    assertThat(kept.err().strip()).matches("image sha256:[0-9a-f]{64} kept in the local store only; export it with"
        + " -o type=oci,dest=DIR or -o type=docker,dest=FILE");
  }

  @Test
  void aPlatformListIsAUsageErrorNamingTheFlagAndValue() {
    Run r = run("build", "--platform", "linux/amd64,linux/arm64", "--cache-dir", tmp.resolve("store").toString(),
        repo().resolve("examples/hello").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("error: --platform \"linux/amd64,linux/arm64\" names 2 platforms")
        .contains("build once per platform");
    assertThat(run("build", "--platform", "linux/amd65", ".").err())
        .contains("error: --platform \"linux/amd65\" has an unknown architecture \"amd65\"");
  }

  @Test
  void buildErrorsNameThePositionWithoutStackTrace() throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY missing.txt /app/\n");
    Run r = run("build", "--cache-dir", tmp.resolve("store").toString(), "--progress", "quiet", ctx.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Dockerfile:2:1:").contains("missing.txt").doesNotContain("\tat ");
  }

  @Test
  void pushNeedsATagAndSaysSo() throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nENV A=1\n");
    Run r = run("build", "--push", "--pull", "--insecure-registry", "reg.example:5000", "--cache-dir",
        tmp.resolve("store").toString(), "--progress", "quiet", ctx.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nothing to push to").contains("-t REGISTRY/REPOSITORY:TAG").doesNotContain("\tat ");
    assertThat(run("build", "--help").out()).contains("--push").contains("--pull").contains("--insecure-registry")
        .contains("docker-image://REF");
  }
}
