package dev.gantry.builder;

import dev.gantry.oci.Digest;
import dev.gantry.plan.InputDigester;
import dev.gantry.store.Store;
import dev.gantry.store.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Downloads {@code ADD http(s)://...} sources once per build into the store, verifying
 * {@code --checksum} when given. The file is named after the URL's last path element, keeps the
 * server's Last-Modified time and gets mode 0600, as BuildKit's HTTP source does.
 */
final class UrlSources {
  /** A downloaded file. */
  record Fetched(Digest digest, long size, String fileName, Instant modified) {}

  private final Store store;
  private HttpClient client;
  private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();

  UrlSources(Store store) {
    this.store = store;

  }

  /** The HTTP client, made on first use (making one costs TLS set-up a URL-free build never needs). */
  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30)).build();
    }
    return client;
  }

  /** Downloads {@code url} (once per build). */
  Fetched fetch(String url, String checksum) throws IOException {
    Fetched f = fetched.get(url);
    if (f == null) {
      f = download(url, checksum);
      fetched.put(url, f);
    }
    return f;
  }

  private Fetched download(String url, String checksum) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("download of " + url + " interrupted", e);
    }
    if (resp.statusCode() / 100 != 2) {
      resp.body().close();
      throw new InputDigester.UnusableSourceException("invalid response status " + resp.statusCode() + " for " + url,
          "check the URL; ADD downloads it with a plain GET and needs a 2xx answer");
    }
    StoredBlob blob;
    try (InputStream in = resp.body()) {
      if (checksum != null && !checksum.isEmpty()) {
        Digest expected;
        try {
          expected = Digest.parse(checksum);
        } catch (IllegalArgumentException e) {
          throw new InputDigester.UnusableSourceException("invalid checksum " + checksum,
              "write --checksum=sha256:<64 hex digits>");
        }
        try {
          blob = store.putBlob(in, expected);
        } catch (dev.gantry.store.DigestMismatchException e) {
          throw new InputDigester.UnusableSourceException("checksum mismatch for " + url + ": expected " + expected
              + ", got " + e.actual(), "the file at the URL is not the one --checksum names; if its new content is"
              + " trusted, write --checksum=" + e.actual());
        }
      } else {
        blob = store.putBlob(in);
      }
    }
    Instant modified = resp.headers().firstValue("Last-Modified").map(UrlSources::httpDate).orElse(Instant.EPOCH);
    return new Fetched(blob.digest(), blob.size(), fileName(url), modified);
  }

  static String fileName(String url) {
    String path = URI.create(url).getPath();
    if (path == null) {
      return "__unnamed__";
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.isEmpty() || base.equals(".") ? "__unnamed__" : base;
  }

  private static Instant httpDate(String value) {
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
