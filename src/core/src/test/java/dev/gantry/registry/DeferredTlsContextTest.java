package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client sets up TLS only for a TLS connection, and then checks certificates as the JDK's default does. */
class DeferredTlsContextTest {
  @TempDir Path dir;

  @Test
  void plainHttpLeavesTlsUnset() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", DeferredTlsContextTest::hello);
    server.start();
    try {
      HttpClient client = Registries.newClient(Duration.ofSeconds(10));
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("hello", r.body());
      assertFalse(((DeferredTlsContext) client.sslContext()).isSetUp());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tlsUsesTheDefaultContextAndItsTrust() throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    KeyStore tls = selfSigned();
    server.setHttpsConfigurator(new HttpsConfigurator(serving(tls)));
    server.createContext("/", DeferredTlsContextTest::hello);
    server.start();
    try {
      HttpClient client = Registries.newClient(Duration.ofSeconds(10));
      HttpRequest get = HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v2/")).build();
      // the handshake gets as far as the server's certificate, which no default trust anchor signed
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
          () -> client.send(get, HttpResponse.BodyHandlers.ofString()));
      assertTrue(String.valueOf(e.getMessage()).contains("PKIX"), e::getMessage);
      assertTrue(((DeferredTlsContext) client.sslContext()).isSetUp());

      // a client whose deferred context trusts the server's certificate completes the handshake,
      // with host name checking and the engine's own protocols and cipher suites
      DeferredTlsContext trusting = DeferredTlsContext.of(() -> trusting(tls));
      HttpClient trusted = Registries.newClient(Duration.ofSeconds(10), trusting);
      assertFalse(trusting.isSetUp());
      assertEquals("hello", trusted.send(get, HttpResponse.BodyHandlers.ofString()).body());
      assertTrue(trusting.isSetUp());
    } finally {
      server.stop(0);
    }
  }

  /** A key and certificate for 127.0.0.1 (a subject alternative name, as host name checking wants). */
  private KeyStore selfSigned() throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    return store;
  }

  private static SSLContext serving(KeyStore store) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static SSLContext trusting(KeyStore store) {
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("server", store.getCertificate("server"));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hello(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
