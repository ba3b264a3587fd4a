package dev.gantry.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a registry that injects scripted faults: each {@link Rule}
 * fires once, on the first request that matches its method and path fragment. Requests that match
 * no rule are forwarded; {@code Location} headers are rewritten to point back at the proxy.
 */
final class FaultProxy implements AutoCloseable {
  /** What a rule does to the request it catches. */
  enum Fault {
    /** Reads half the request body (or sends half the response body), then drops the connection. */
    RESET,
    /** Answers with the rule's status (and Retry-After, when set). */
    STATUS,
    /** Waits the rule's seconds, then forwards. */
    STALL,
    /** Answers 401 with the registry's Bearer challenge, as when a token expires. */
    EXPIRE_TOKEN,
    /** Forwards half the response body, then stalls for the rule's seconds. */
    STALL_BODY,
    /** Forwards, but flips a byte of the response body. */
    CORRUPT
  }

  /** A one-shot fault for the first request with {@code method} whose path contains {@code path}. */
  record Rule(String method, String path, Fault fault, int status, int seconds) {
    static Rule of(String method, String path, Fault fault) {
      return new Rule(method, path, fault, 0, 0);
    }

    Rule withSeconds(int s) {
      return new Rule(method, path, fault, status, s);
    }

    static Rule status(String method, String path, int status, int retryAfter) {
      return new Rule(method, path, Fault.STATUS, status, retryAfter);
    }
  }

  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "transfer-encoding", "keep-alive");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String upstream;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  final List<String> fired = new CopyOnWriteArrayList<>();
  /** Every request seen, as {@code METHOD /path?query}, in arrival order. */
  final List<String> requests = new CopyOnWriteArrayList<>();

  private FaultProxy(String upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** A proxy for the registry at {@code upstream} ({@code 127.0.0.1:PORT}). */
  static FaultProxy start(String upstream) throws IOException {
    return new FaultProxy(upstream);
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void add(Rule... more) {
    rules.addAll(List.of(more));
  }

  /** Rules that have not fired yet. */
  List<Rule> pending() {
    return List.copyOf(rules);
  }

  private Rule take(String method, String path) {
    for (Rule r : rules) {
      if (r.method().equals(method) && path.contains(r.path()) && rules.remove(r)) {
        fired.add(r.fault() + " " + method + " " + r.path());
        return r;
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      requests.add(method + " " + ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
      Rule rule = take(method, path);
      InputStream body = ex.getRequestBody();
      if (rule != null && rule.fault() == Fault.RESET && !method.equals("GET") && !method.equals("HEAD")) {
        long length = Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length") == null ? "0"
            : ex.getRequestHeaders().getFirst("Content-Length"));
        body.readNBytes((int) Math.min(length / 2, Integer.MAX_VALUE));
        ex.close();
        return;
      }
      byte[] requestBytes = body.readAllBytes();
      if (rule != null && rule.fault() == Fault.STATUS) {
        if (rule.seconds() > 0) {
          ex.getResponseHeaders().set("Retry-After", Integer.toString(rule.seconds()));
        }
        respond(ex, rule.status(), "{\"errors\":[{\"code\":\"INJECTED\",\"message\":\"injected " + rule.status()
            + "\"}]}");
        return;
      }
      if (rule != null && rule.fault() == Fault.EXPIRE_TOKEN) {
        ex.getResponseHeaders().set("WWW-Authenticate", challenge());
        respond(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token expired\"}]}");
        return;
      }
      if (rule != null && rule.fault() == Fault.STALL) {
        Thread.sleep(rule.seconds() * 1000L);
      }
      forward(ex, method, requestBytes, rule);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    } catch (IOException | RuntimeException e) {
      ex.close();
    }
  }

  private String challenge() throws IOException, InterruptedException {
    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://" + upstream + "/v2/")).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.headers().firstValue("WWW-Authenticate").orElse("Bearer realm=\"none\"");
  }

  private void forward(HttpExchange ex, String method, byte[] requestBytes, Rule rule)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
        .method(method, requestBytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(requestBytes));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        h.getValue().forEach(v -> b.header(h.getKey(), v));
      }
    }
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    r.headers().map().forEach((k, vs) -> {
      if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT)) && !k.equals(":status")) {
        for (String v : vs) {
          ex.getResponseHeaders().add(k, k.equalsIgnoreCase("Location") ? v.replace(upstream, host()) : v);
        }
      }
    });
    byte[] out = r.body();
    if (rule != null && rule.fault() == Fault.CORRUPT && out.length > 0) {
      out = out.clone();
      out[out.length / 2] ^= 0x5a;
    }
    if (method.equals("HEAD") || out.length == 0) {
      String len = r.headers().firstValue("Content-Length").orElse(null);
      if (method.equals("HEAD") && len != null) {
        ex.getResponseHeaders().set("Content-Length", len);
      }
      ex.sendResponseHeaders(r.statusCode(), -1);
      ex.close();
      return;
    }
    if (rule != null && rule.fault() == Fault.RESET) {
      // the connection ends after half the body: chunked, so the client sees a short body
      ex.sendResponseHeaders(r.statusCode(), 0);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out, 0, out.length / 2);
      }
      return;
    }
    if (rule != null && rule.fault() == Fault.STALL_BODY) {
      ex.sendResponseHeaders(r.statusCode(), out.length);
      OutputStream os = ex.getResponseBody();
      os.write(out, 0, out.length / 2);
      os.flush();
      Thread.sleep(rule.seconds() * 1000L);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(r.statusCode(), out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private static void respond(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
