package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build reads its registry caches while it parses its Dockerfile; when the Dockerfile has an
 * error, the build returns at once and the listener hears nothing more from the reading that is
 * still under way.
 */
class RegistryWorkTest {
  @TempDir Path tmp;

  /** Messages, each marked with whether it came after the build returned. */
  private static final class Recorder implements BuildListener {
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean returned;

    @Override
    public void onEvent(BuildEvent e) {
      if (e instanceof BuildEvent.Message m) {
        lines.add((returned ? "after: " : "during: ") + m.text());
      }
    }
  }

  /** A registry that has nothing: every request gets 404, once {@code answer} is open. */
  private static void serveNotFound(ServerSocket server, CountDownLatch answer, CountDownLatch answered) {
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Socket s = server.accept();
          Thread r = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              while (true) {
                String head = readHead(in);
                if (head == null) {
                  return;
                }
                answer.await();
                out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                    + "Docker-Distribution-API-Version: registry/2.0\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answered.countDown();
              }
            } catch (IOException | InterruptedException e) {
              // the client went away
            }
          });
          r.setDaemon(true);
          r.start();
        }
      } catch (IOException closed) {
        // done
      }
    });
    t.setDaemon(true);
    t.start();
  }

  /** A request's head (up to the blank line), or null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) >= 0; ) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        return sb.toString();
      }
    }
    return null;
  }

  private Path context(String dockerfile) throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    return ctx;
  }

  private static String cache(ServerSocket server) {
    return "type=registry,ref=127.0.0.1:" + server.getLocalPort() + "/cache:1";
  }

  @Test
  void aCacheReadThatEndsAfterADockerfileErrorIsNotReported() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch answer = new CountDownLatch(1);
      CountDownLatch answered = new CountDownLatch(1);
      serveNotFound(server, answer, answered);
      Recorder messages = new Recorder();
      Path ctx = context("FROM scratch\nNOT_AN_INSTRUCTION x\n");
      assertThatThrownBy(() -> new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .cacheFrom(CacheLocation.parse(cache(server))).listener(messages).build()))
          .isInstanceOf(DockerfileException.class);
      messages.returned = true;
      answer.countDown(); // the cache's manifest is missing: its reader reports that now
      assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(500);
      assertThat(messages.lines).noneMatch(l -> l.startsWith("after: "));
    }
  }

  @Test
  void aCacheReadThatEndsDuringTheBuildIsReported() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch answer = new CountDownLatch(0);
      serveNotFound(server, answer, new CountDownLatch(1));
      Recorder messages = new Recorder();
      Path ctx = context("FROM scratch\nENV A=1\n");
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .cacheFrom(CacheLocation.parse(cache(server))).listener(messages).build());
      assertThat(messages.lines).anyMatch(l -> l.startsWith("during: warning: cache ") && l.contains("not used"));
    }
  }
}
