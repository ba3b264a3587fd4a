package dev.gantry.registry;

import dev.gantry.oci.IoTasks;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registries one build talks to, one {@link Registry} per host, sharing an HTTP client,
 * credentials, the insecure-registry list and a {@link RetryPolicy}. Plain HTTP is used only for
 * loopback hosts and registries listed as insecure. Thread-safe.
 */
public final class Registries {
  /**
   * How to reach registries.
   *
   * @param credentials where credentials come from
   * @param insecure registries (host or host:port) reached over plain HTTP
   * @param retry the retry policy of every operation
   */
  public record Options(Credentials credentials, Set<String> insecure, RetryPolicy retry) {
    public Options {
      Objects.requireNonNull(credentials, "credentials");
      insecure = Set.copyOf(insecure);
      Objects.requireNonNull(retry, "retry");
    }

    /** Docker-config credentials, no insecure registries, default retries. */
    public static Options defaults() {
      return new Options(Credentials.of(Map.of()), Set.of(), RetryPolicy.defaults());
    }
  }

  /**
   * The HTTP clients of this JVM, by connect timeout: a client holds no credentials or per-build
   * state (cookies are off by default), so the builds of one JVM share it, its TLS context and its
   * connections.
   */
  private static final Map<Duration, CompletableFuture<HttpClient>> CLIENTS = new ConcurrentHashMap<>();

  private final Options options;
  private final Map<String, Registry> registries = new ConcurrentHashMap<>();
  private CompletableFuture<HttpClient> client;

  /** Registries reached with {@code options}; nothing is connected (or started) before the first use. */
  public Registries(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Starts setting up the HTTP client (its classes and selector thread; the TLS context waits for
   * the first TLS connection) on a thread of its own, so that a build that will pull or push does it
   * while it plans.
   */
  public void prepare() {
    setup();
  }

  private synchronized CompletableFuture<HttpClient> setup() {
    if (client == null) {
      client = CLIENTS.computeIfAbsent(options.retry().requestTimeout(), timeout ->
          CompletableFuture.supplyAsync(() -> newClient(timeout), IoTasks.ownThread("gantry-http-setup")));
    }
    return client;
  }

  /** A client of HTTP/1.1 (registries stream blobs; one connection each), following redirects. */
  static HttpClient newClient(Duration connectTimeout) {
    return newClient(connectTimeout, DeferredTlsContext.create());
  }

  /** Such a client whose TLS connections use {@code tls}. */
  static HttpClient newClient(Duration connectTimeout, DeferredTlsContext tls) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(connectTimeout)
        .sslContext(tls)
        .sslParameters(DeferredTlsContext.parameters())
        .build();
  }

  /** The registry {@code ref} lives on. */
  public Registry of(ImageReference ref) {
    return registries.computeIfAbsent(ref.registry(), k -> {
      RegistryTransport t = new RegistryTransport(ref, isInsecure(ref), options.credentials().lookup(ref),
          options.retry(), setup().join());
      return new HttpRegistry(t, ref.endpoint());
    });
  }

  /** True when {@code ref}'s registry is reached over plain HTTP. */
  public boolean isInsecure(ImageReference ref) {
    return ref.isLoopback() || options.insecure().contains(ref.registry()) || options.insecure().contains(ref.host());
  }
}
