package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credHelpers} and {@code credsStore} of the docker config: a {@code docker-credential-*}
 * program found on the PATH is asked for the registry's credentials, as docker does. The lookup runs
 * in a child JVM so that its PATH and DOCKER_CONFIG can be set.
 */
class CredentialHelperTest {
  @TempDir Path tmp;

  /** A helper that answers "get" for {@code server} only, with the test registry's login. */
  private Path helper(String name, String server) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-" + name);
    Files.writeString(helper, "#!/bin/sh\n"
        + "[ \"$1\" = get ] || exit 1\n"
        + "read server\n"
        + "[ \"$server\" = '" + server + "' ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + TestRegistry.USER + "\",\"Secret\":\"" + TestRegistry.PASSWORD
        + "\"}\\n' \"$server\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private String lookUp(Path bin, Path dockerConfigDir, String ref) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), CredentialHelperMain.class.getName(), ref, TestRegistry.PASSWORD)
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("DOCKER_CONFIG", dockerConfigDir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private Path config(String json) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dir.resolve("config.json"), json, StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  void credHelperOfTheRegistryIsAskedAndItsAnswerUsed() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    Path bin = helper("gantrytest", "127.0.0.1:5999");
    Path dir = config("{\"credHelpers\":{\"127.0.0.1:5999\":\"gantrytest\"}}");
    assertThat(lookUp(bin, dir, "127.0.0.1:5999/app:1")).isEqualTo("user=" + TestRegistry.USER + " secret-matches=true");
    // another registry is not the helper's: no credentials, and no secret printed
    assertThat(lookUp(bin, dir, "127.0.0.1:5998/app:1")).isEqualTo("none");
  }

  @Test
  void credsStoreIsTheHelperForEveryRegistry() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    Path bin = helper("gantrystore", "127.0.0.1:5997");
    Path dir = config("{\"credsStore\":\"gantrystore\"}");
    assertThat(lookUp(bin, dir, "127.0.0.1:5997/app:1")).isEqualTo("user=" + TestRegistry.USER + " secret-matches=true");
  }
}
