import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry in memory, on loopback, for the launcher's class-data training only: just enough of
 * the distribution API (blobs with monolithic or chunked uploads and mounts, manifests by tag and
 * digest) for the builds that teach the archive the classes of a pull, a push and a registry cache.
 * Run as {@code java TrainingRegistry.java PORT_FILE}: it writes its port to PORT_FILE and serves
 * until it is killed.
 */
public final class TrainingRegistry {
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    TrainingRegistry registry = new TrainingRegistry();
    server.createContext("/v2/", exchange -> {
      try (exchange) {
        registry.handle(exchange);
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(500, -1);
      }
    });
    server.start();
    Path portFile = Path.of(args[0]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
    Files.move(tmp, portFile);
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    byte[] body = x.getRequestBody().readAllBytes();
    Matcher m;
    if (path.equals("/v2/")) {
      send(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      upload(x, method, m.group(1), m.group(2), body);
    } else if ((m = BLOB.matcher(path)).matches()) {
      byte[] blob = blobs.get(m.group(2));
      if (blob == null) {
        error(x, 404, "BLOB_UNKNOWN");
      } else {
        send(x, 200, "application/octet-stream", blob, m.group(2));
      }
    } else if ((m = MANIFEST.matcher(path)).matches()) {
      String key = m.group(1) + "@" + m.group(2);
      if (method.equals("PUT")) {
        String digest = digest(body);
        String type = x.getRequestHeaders().getFirst("Content-Type");
        for (String k : new String[] {key, m.group(1) + "@" + digest}) {
          manifests.put(k, body);
          types.put(k, type);
        }
        x.getResponseHeaders().set("Location", "/v2/" + m.group(1) + "/manifests/" + digest);
        send(x, 201, null, new byte[0], digest);
      } else if (manifests.containsKey(key)) {
        byte[] manifest = manifests.get(key);
        send(x, 200, types.get(key), manifest, digest(manifest));
      } else {
        error(x, 404, "MANIFEST_UNKNOWN");
      }
    } else {
      error(x, 404, "NAME_UNKNOWN");
    }
  }

  private void upload(HttpExchange x, String method, String name, String id, byte[] body) throws IOException {
    Map<String, String> query = query(x.getRequestURI().getRawQuery());
    if (method.equals("POST")) {
      String mount = query.get("mount");
      if (mount != null && blobs.containsKey(mount)) {
        x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + mount);
        send(x, 201, null, new byte[0], mount);
        return;
      }
      String uuid = UUID.randomUUID().toString();
      uploads.put(uuid, new ByteArrayOutputStream());
      accepted(x, name, uuid, 0);
      return;
    }
    ByteArrayOutputStream buffer = uploads.get(id);
    if (buffer == null) {
      error(x, 404, "BLOB_UPLOAD_UNKNOWN");
      return;
    }
    buffer.write(body);
    if (method.equals("PATCH")) {
      accepted(x, name, id, buffer.size());
    } else if (method.equals("PUT")) {
      uploads.remove(id);
      byte[] bytes = buffer.toByteArray();
      String digest = digest(bytes);
      if (!digest.equals(query.get("digest"))) {
        error(x, 400, "DIGEST_INVALID");
        return;
      }
      blobs.put(digest, bytes);
      x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + digest);
      send(x, 201, null, new byte[0], digest);
    } else {
      error(x, 405, "UNSUPPORTED");
    }
  }

  private static void accepted(HttpExchange x, String name, String uuid, int size) throws IOException {
    x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/uploads/" + uuid);
    x.getResponseHeaders().set("Docker-Upload-UUID", uuid);
    x.getResponseHeaders().set("Range", "0-" + Math.max(0, size - 1));
    send(x, 202, null, new byte[0], null);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new ConcurrentHashMap<>();
    for (String kv : raw == null ? new String[0] : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void error(HttpExchange x, int status, String code) throws IOException {
    send(x, status, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\""
        + code.toLowerCase().replace('_', ' ') + "\"}]}").getBytes(StandardCharsets.UTF_8), null);
  }

  /** Answers {@code status} with {@code body} (headers only for HEAD and for an empty body). */
  private static void send(HttpExchange x, int status, String type, byte[] body, String digest) throws IOException {
    if (type != null) {
      x.getResponseHeaders().set("Content-Type", type);
    }
    if (digest != null) {
      x.getResponseHeaders().set("Docker-Content-Digest", digest);
    }
    if (x.getRequestMethod().equals("HEAD") || body.length == 0) {
      if (body.length > 0) {
        x.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      }
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
