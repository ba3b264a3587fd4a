package dev.gantry.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small token service for {@code auth.token} registries: checks a Basic user and password and
 * issues RS256 JWTs carrying the certificate ({@code x5c}) the registry trusts, granting every
 * scope asked for. Key and self-signed certificate are made with {@code keytool}.
 */
final class TokenServer implements AutoCloseable {
  static final String ISSUER = "gantry-test-issuer";
  static final String SERVICE = "gantry-test-registry";

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final String user;
  private final String password;
  private volatile Duration lifetime = Duration.ofMinutes(5);
  final AtomicInteger issued = new AtomicInteger();

  private TokenServer(Path dir, String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    Path ks = dir.resolve("token.p12");
    Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=gantry-test-token", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    key = (PrivateKey) store.getKey("token", "changeit".toCharArray());
    cert = (X509Certificate) store.getCertificate("token");
    Files.writeString(dir.resolve("token-cert.pem"), "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String expected = "Basic " + Base64.getEncoder().encodeToString((this.user + ":" + this.password)
          .getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(auth)) {
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      for (String kv : query == null ? new String[0] : query.split("&")) {
        if (kv.startsWith("scope=")) {
          scopes.add(URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
        }
      }
      byte[] body;
      try {
        body = ("{\"token\":\"" + jwt(scopes) + "\",\"expires_in\":" + lifetime.toSeconds() + "}")
            .getBytes(StandardCharsets.UTF_8);
      } catch (Exception e) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
        return;
      }
      issued.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** Starts a token server for {@code user}/{@code password}; writes its certificate into {@code dir}. */
  static TokenServer start(Path dir, String user, String password) throws Exception {
    return new TokenServer(dir, user, password);
  }

  Path certificate(Path dir) {
    return dir.resolve("token-cert.pem");
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** How long tokens issued from now on are valid. */
  void lifetime(Duration d) {
    lifetime = d;
  }

  private String jwt(List<String> scopes) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(cert.getEncoded())
        + "\"]}";
    StringBuilder access = new StringBuilder();
    for (String s : scopes) {
      String[] parts = s.split(":");
      if (parts.length < 3) {
        continue;
      }
      String name = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
      StringBuilder actions = new StringBuilder();
      for (String a : parts[parts.length - 1].split(",")) {
        actions.append(actions.length() > 0 ? "," : "").append('"').append(a).append('"');
      }
      access.append(access.length() > 0 ? "," : "").append("{\"type\":\"").append(parts[0]).append("\",\"name\":\"")
          .append(name).append("\",\"actions\":[").append(actions).append("]}");
    }
    long now = Instant.now().getEpochSecond();
    String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":\"" + SERVICE + "\",\"exp\":"
        + (now + lifetime.toSeconds()) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\""
        + UUID.randomUUID() + "\",\"access\":[" + access + "]}";
    String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key);
    sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + url.encodeToString(sig.sign());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
