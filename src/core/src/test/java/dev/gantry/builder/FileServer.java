package dev.gantry.builder;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves fixed files over HTTP on a free loopback port (for {@code ADD http://...}), each with a
 * Last-Modified time; unknown paths are 404. Counts requests. Close it to stop.
 */
final class FileServer implements AutoCloseable {
  private record Served(byte[] body, Instant modified) {}

  private final HttpServer server;
  private final Map<String, Served> files = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();

  FileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      requests.incrementAndGet();
      Served s = files.get(ex.getRequestURI().getPath());
      try (ex) {
        if (s == null) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        ex.getResponseHeaders().set("Last-Modified",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(s.modified().atOffset(ZoneOffset.UTC)));
        ex.sendResponseHeaders(200, s.body().length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(s.body());
        }
      }
    });
    server.start();
  }

  /** Serves {@code body} at {@code path} (starting with /). */
  FileServer serve(String path, byte[] body, Instant modified) {
    files.put(path, new Served(body, modified));
    return this;
  }

  /** The URL of {@code path}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
