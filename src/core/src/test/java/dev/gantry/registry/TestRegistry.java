package dev.gantry.registry;

import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code docker-registry} (distribution 2.8) on a free 127.0.0.1 port: anonymous, with
 * htpasswd Basic auth, or with Bearer tokens from a {@link TokenServer}. Stopped by {@link #close}.
 */
public final class TestRegistry implements AutoCloseable {
  /** How clients authenticate. */
  public enum Mode { ANONYMOUS, HTPASSWD, TOKEN }

  static final String USER = "gantry";
  static final String PASSWORD = "s3cret-Pa55word";

  final Mode mode;
  final int port;
  final TokenServer tokens;
  private final Process process;
  private final Path log;

  private TestRegistry(Mode mode, int port, TokenServer tokens, Process process, Path log) {
    this.mode = mode;
    this.port = port;
    this.tokens = tokens;
    this.process = process;
    this.log = log;
  }

  /** True when docker-registry is installed. */
  public static boolean available() {
    return Tools.onPath("docker-registry");
  }

  /** Starts a registry storing into {@code dir}. */
  public static TestRegistry start(Path dir, Mode mode) throws Exception {
    Files.createDirectories(dir);
    int port = freePort();
    TokenServer tokens = null;
    String auth = "";
    if (mode == Mode.HTPASSWD) {
      Process p = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).start();
      byte[] line = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("htpasswd failed");
      }
      Files.write(dir.resolve("htpasswd"), line);
      auth = "auth:\n  htpasswd:\n    realm: gantry-test\n    path: " + dir.resolve("htpasswd") + "\n";
    } else if (mode == Mode.TOKEN) {
      tokens = TokenServer.start(dir, USER, PASSWORD);
      auth = "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenServer.SERVICE
          + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + tokens.certificate(dir) + "\n";
    }
    String config = "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
        + "    rootdirectory: " + dir.resolve("data") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:"
        + port + "\n" + auth;
    Path yml = dir.resolve("config.yml");
    Files.writeString(yml, config, StandardCharsets.UTF_8);
    Path log = dir.resolve("registry.log");
    Process process = new ProcessBuilder("docker-registry", "serve", yml.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    TestRegistry r = new TestRegistry(mode, port, tokens, process, log);
    r.awaitReady();
    return r;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL()
            .openConnection();
        c.setConnectTimeout(500);
        int status = c.getResponseCode();
        c.disconnect();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    close();
    throw new IOException("docker-registry did not start: " + Files.readString(log));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  boolean needsLogin() {
    return mode != Mode.ANONYMOUS;
  }

  /** skopeo's credential arguments for {@code flag} ({@code --creds}, {@code --dest-creds}, ...), or none. */
  String[] skopeoCreds(String flag) {
    return needsLogin() ? new String[] {flag, USER + ":" + PASSWORD} : new String[0];
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (tokens != null) {
      tokens.close();
    }
  }
}
