package dev.gantry.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP to one registry: authentication (anonymous, Basic, Bearer tokens per scope, fetched again
 * when the registry answers 401 to a token it issued) and retries with exponential backoff within
 * a budget for connection failures, timeouts, 5xx and 429 (honouring {@code Retry-After}). 401 and
 * 403 are not retried blindly. Thread-safe.
 */
final class RegistryTransport {
  /** One try of an operation; may send several requests. */
  interface Attempt<T> {
    T run() throws IOException;
  }

  /** A failure worth another attempt. */
  static final class TransientFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient Duration retryAfter;

    TransientFailure(int status, String detail, Duration retryAfter, Throwable cause) {
      super(detail, cause);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  /** A failure no retry can fix. */
  static final class PermanentFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String hint;

    PermanentFailure(int status, String detail, String hint, Throwable cause) {
      super(detail, cause);
      this.status = status;
      this.hint = hint;
    }
  }

  private final String registry;
  private final String scheme;
  private final Optional<Credentials.Secret> secret;
  private final RetryPolicy policy;
  private final HttpClient client;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;

  RegistryTransport(ImageReference any, boolean insecure, Optional<Credentials.Secret> secret, RetryPolicy policy,
      HttpClient client) {
    this.registry = any.registry();
    this.scheme = insecure ? "http" : "https";
    this.secret = secret;
    this.policy = policy;
    this.client = client;
  }

  String registry() {
    return registry;
  }

  RetryPolicy policy() {
    return policy;
  }

  URI uri(String endpoint, String pathAndQuery) {
    return URI.create(scheme + "://" + endpoint + pathAndQuery);
  }

  /** Resolves a {@code Location} header against the registry's URL. */
  URI resolve(URI base, String location) {
    return base.resolve(location);
  }

  /** Runs {@code attempt} until it succeeds, fails permanently, or the policy gives up. */
  <T> T call(String operation, String repository, Attempt<T> attempt) throws RegistryException {
    long deadline = System.nanoTime() + policy.budget().toNanos();
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (PermanentFailure e) {
        throw new RegistryException(registry, repository, operation, e.status, n, e.getMessage(), e.hint, e);
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new RegistryException(registry, repository, operation, 0, n, "interrupted", null, e);
        }
        retryOrThrow(operation, repository, n, deadline, 0, e.toString(), null, e);
      } catch (TransientFailure e) {
        retryOrThrow(operation, repository, n, deadline, e.status, e.getMessage(), e.retryAfter, e);
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        retryOrThrow(operation, repository, n, deadline, 0, e.toString(), null, e);
      }
    }
  }

  private void retryOrThrow(String operation, String repository, int n, long deadline, int status, String detail,
      Duration retryAfter, IOException cause) throws RegistryException {
    Duration wait = retryAfter != null ? retryAfter : policy.backoff(n);
    long left = deadline - System.nanoTime();
    if (n >= policy.maxAttempts() || wait.toNanos() > left) {
      String why = n >= policy.maxAttempts() ? "" : "; Retry-After " + wait.toSeconds() + "s exceeds the retry budget";
      throw new RegistryException(registry, repository, operation, status, n, detail + why, null, cause);
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(registry, repository, operation, status, n, "interrupted", null, e);
    }
  }

  /**
   * Sends {@code request} with the credentials the scopes need, authenticating again once when the
   * registry answers 401. Statuses 429 and 5xx become {@link TransientFailure}s; 401 and 403
   * {@link PermanentFailure}s; other statuses are returned (the body is the caller's to close).
   */
  HttpResponse<InputStream> send(HttpRequest.Builder request, List<String> scopes) throws IOException {
    request.timeout(policy.requestTimeout());
    HttpResponse<InputStream> r = exchange(request, scopes, false);
    if (r.statusCode() == 401) {
      Optional<Challenge> c = Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
      drain(r);
      if (c.isPresent()) {
        challenge = c.get();
        tokens.remove(key(scopes));
        r = exchange(request, scopes, true);
      }
    }
    int status = r.statusCode();
    if (status == 429 || status >= 500) {
      String detail = errorText(r);
      throw new TransientFailure(status, detail, retryAfter(r.headers()), null);
    }
    if (status == 401 || status == 403) {
      String detail = errorText(r);
      throw new PermanentFailure(status, detail, status == 401 ? loginHint() : (secret.isPresent()
          ? "the credentials for " + registry + " are not allowed to do this" : loginHint()), null);
    }
    return r;
  }

  private String loginHint() {
    return secret.isPresent()
        ? "the credentials found for " + registry + " were refused; log in again with 'docker login " + registry + "'"
        : "log in with 'docker login " + registry + "' (Gantry reads the docker config) or pass credentials"
            + " with BuildRequest.registryCredentials";
  }

  private HttpResponse<InputStream> exchange(HttpRequest.Builder request, List<String> scopes, boolean fresh)
      throws IOException {
    Optional<String> auth = authorization(scopes, fresh);
    HttpRequest.Builder b = request.copy();
    auth.ifPresent(a -> b.setHeader("Authorization", a));
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  private Optional<String> authorization(List<String> scopes, boolean fresh) throws IOException {
    Challenge c = challenge;
    if (c == null) {
      return Optional.empty();
    }
    if (c.scheme().equals("basic")) {
      if (secret.isEmpty()) {
        throw new PermanentFailure(401, "the registry wants a user name and password", loginHint(), null);
      }
      String raw = secret.get().user() + ":" + secret.get().secret();
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }
    if (!c.scheme().equals("bearer")) {
      throw new PermanentFailure(401, "unsupported authentication scheme " + c.scheme(), null, null);
    }
    String k = key(scopes);
    String token = fresh ? null : tokens.get(k);
    if (token == null) {
      token = fetchToken(c, scopes);
      tokens.put(k, token);
    }
    return Optional.of("Bearer " + token);
  }

  private String fetchToken(Challenge c, List<String> scopes) throws IOException {
    String realm = c.param("realm");
    if (realm == null) {
      throw new PermanentFailure(401, "bearer challenge without a realm", null, null);
    }
    StringBuilder q = new StringBuilder();
    if (c.param("service") != null) {
      q.append("service=").append(enc(c.param("service")));
    }
    for (String s : scopes) {
      q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(s));
    }
    HttpRequest.Builder b;
    if (secret.isPresent() && secret.get().isIdentityToken()) {
      String form = q + (q.length() > 0 ? "&" : "") + "grant_type=refresh_token&client_id=gantry&refresh_token="
          + enc(secret.get().secret());
      b = HttpRequest.newBuilder(URI.create(realm)).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form));
    } else {
      b = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + q)).GET();
      if (secret.isPresent()) {
        String raw = secret.get().user() + ":" + secret.get().secret();
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
      }
    }
    b.timeout(policy.requestTimeout());
    HttpResponse<byte[]> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new PermanentFailure(r.statusCode(), "the token service refused the credentials", loginHint(), null);
    }
    if (r.statusCode() == 429 || r.statusCode() >= 500) {
      throw new TransientFailure(r.statusCode(), "token service", retryAfter(r.headers()), null);
    }
    if (r.statusCode() != 200) {
      throw new PermanentFailure(r.statusCode(), "token service answered HTTP " + r.statusCode(), null, null);
    }
    JsonNode json = Json.readTree(r.body());
    String token = json.path("token").asText(json.path("access_token").asText(""));
    if (token.isEmpty()) {
      token = json.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new PermanentFailure(200, "the token service sent no token", null, null);
    }
    return token;
  }

  private static String key(List<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    if (v.isEmpty()) {
      return null;
    }
    String s = v.get().trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(s)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException e2) {
        return null;
      }
    }
  }

  /**
   * The registry's error text, each of its {@code errors} as {@code CODE: message (detail)}, joined
   * by {@code "; "}; empty when the body holds none. At most 4 KiB are read; closes the body.
   */
  static String errorText(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      return errorText(in.readNBytes(4096));
    } catch (IOException e) {
      return "";
    }
  }

  /** The error text of a registry error body (see {@link #errorText(HttpResponse)}). */
  static String errorText(byte[] body) {
    JsonNode errors;
    try {
      errors = Json.readTree(body).path("errors");
    } catch (RuntimeException e) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode e : errors) {
      String code = e.path("code").asText("");
      String message = e.path("message").asText("");
      String detail = detailText(e.path("detail"));
      String one = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
      if (!detail.isEmpty() && !one.contains(detail)) {
        one = one.isEmpty() ? detail : one + " (" + detail + ")";
      }
      if (!one.isEmpty()) {
        b.append(b.length() > 0 ? "; " : "").append(one);
      }
    }
    return b.toString();
  }

  /** An error's {@code detail}: a string as it is, an object as {@code key=value} pairs. */
  private static String detailText(JsonNode detail) {
    if (detail.isValueNode()) {
      return detail.isNull() ? "" : detail.asText();
    }
    List<String> parts = new java.util.ArrayList<>();
    detail.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + (f.getValue().isValueNode()
        ? f.getValue().asText() : f.getValue().toString())));
    return detail.isObject() ? String.join(", ", parts) : detail.toString();
  }

  /** Reads and discards the rest of a body. */
  static void drain(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the connection is dropped instead of reused
    }
  }
}
