package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry:build} with {@code push}: the image reaches a real registry (Debian's docker-registry) under every tag. */
class MojoPushTest {
  private static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
  @TempDir Path dir;
  private Process registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.destroyForcibly();
    }
  }

  @Test
  void pushesEveryTagAndWritesTheLayout() throws Exception {
    // under CI the test command installed it: a missing registry fails there instead of skipping
    assumeTrue(Files.isExecutable(REGISTRY) || "true".equalsIgnoreCase(System.getenv("CI")),
        "docker-registry is not installed (the test command installs it)");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
        + dir.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
    registry = new ProcessBuilder(REGISTRY.toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    waitForPort(port);

    Path context = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY app.txt /app/\nCMD [\"/app/app.txt\"]\n");
    Files.writeString(context.resolve("app.txt"), "app\n");
    BuildMojo mojo = new BuildMojo();
    mojo.setLog(new RecordingLog(false));
    mojo.dockerfile = context.resolve("Dockerfile").toFile();
    mojo.contextDirectory = context.toFile();
    mojo.cacheDirectory = dir.resolve("store").toFile();
    mojo.outputDirectory = dir.resolve("image").toFile();
    mojo.image = "127.0.0.1:" + port + "/team/app:1";
    mojo.tags = List.of("latest");
    mojo.push = true;
    Settings settings = new Settings();
    Server server = new Server();
    server.setId("127.0.0.1:" + port);
    server.setUsername("unused");
    server.setPassword("unused-secret");
    settings.addServer(server);
    mojo.settings = settings;
    mojo.execute();

    JsonNode index = new ObjectMapper().readTree(dir.resolve("image/index.json").toFile());
    String digest = index.get("manifests").get(0).get("digest").asText();
    HttpClient http = HttpClient.newHttpClient();
    for (String tag : List.of("1", "latest")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/v2/team/app/manifests/" + tag))
          .header("Accept", "application/vnd.oci.image.manifest.v1+json").GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(tag).isEqualTo(200);
      assertThat(r.headers().firstValue("Docker-Content-Digest")).as(tag).hasValue(digest);
    }
  }

  private static void waitForPort(int port) throws InterruptedException, IOException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("docker-registry did not start on port " + port);
  }
}
