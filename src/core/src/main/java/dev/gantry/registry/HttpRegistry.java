package dev.gantry.registry;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.VerifyingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@link Registry} over {@code java.net.http}: the distribution API's manifest, blob and upload
 * endpoints, with authentication and retries from {@link RegistryTransport}.
 */
final class HttpRegistry implements Registry {
  private static final String ACCEPT = String.join(", ", MediaType.OCI_MANIFEST, MediaType.OCI_INDEX,
      MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST);

  private final RegistryTransport http;
  private final String endpoint;

  HttpRegistry(RegistryTransport http, String endpoint) {
    this.http = http;
    this.endpoint = endpoint;
  }

  private static List<String> pull(String repository) {
    return List.of("repository:" + repository + ":pull");
  }

  private static List<String> push(String repository) {
    return List.of("repository:" + repository + ":pull,push");
  }

  @Override
  public FetchedManifest manifest(ImageReference ref) throws IOException {
    String repo = ref.repository();
    return http.call("get manifest " + ref.qualifier() + " of", repo, () -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(endpoint, "/v2/" + repo + "/manifests/" + ref.qualifier()))
          .header("Accept", ACCEPT).GET();
      HttpResponse<InputStream> r = http.send(b, pull(repo));
      if (r.statusCode() == 404) {
        throw new RegistryTransport.PermanentFailure(404, orElse(RegistryTransport.errorText(r), "manifest unknown"),
            "check the image name and tag", null);
      }
      expect(r, 200);
      long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      byte[] bytes;
      try (InputStream in = new IdleTimeoutStream(r.body(), http.policy().requestTimeout())) {
        if (length > MAX_MANIFEST_BYTES) {
          throw tooLarge(length);
        }
        bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      }
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw tooLarge(bytes.length);
      }
      Digest digest = Digest.sha256(bytes);
      if (ref.digest() != null && !Digest.parse(ref.digest()).equals(digest)) {
        throw new RegistryTransport.PermanentFailure(200, "manifest content has digest " + digest + ", not "
            + ref.digest(), null, null);
      }
      String type = r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", "").trim();
      return new FetchedManifest(type, digest, bytes);
    });
  }

  private static IOException tooLarge(long size) {
    return new RegistryTransport.PermanentFailure(200, "manifest of " + size + " bytes exceeds the limit of "
        + MAX_MANIFEST_BYTES, null, null);
  }

  @Override
  public void pullBlob(String repository, Descriptor blob, BlobTarget target) throws IOException {
    http.call("pull blob " + blob.digest() + " of", repository, () -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(endpoint, "/v2/" + repository + "/blobs/" + blob.digest()))
          .GET();
      HttpResponse<InputStream> r = http.send(b, pull(repository));
      if (r.statusCode() == 404) {
        throw new RegistryTransport.PermanentFailure(404, orElse(RegistryTransport.errorText(r), "blob unknown"), null,
            null);
      }
      expect(r, 200);
      try (InputStream in = VerifyingInputStream.of(new SizeCheckingStream(
          new IdleTimeoutStream(r.body(), http.policy().requestTimeout()), blob.size()), blob.digest(),
          (actual, size) -> new RegistryTransport.PermanentFailure(200, "blob " + blob.digest()
              + " has the wrong content (its digest is " + actual + "); nothing was stored", null, null))) {
        target.accept(in);
        return null;
      } catch (SizeCheckingStream.SizeMismatch e) {
        throw new RegistryTransport.PermanentFailure(200, e.getMessage() + "; nothing was stored", null, e);
      }
    });
  }

  @Override
  public boolean hasBlob(String repository, Digest digest) throws IOException {
    return http.call("check blob " + digest + " of", repository, () -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(endpoint, "/v2/" + repository + "/blobs/" + digest))
          .method("HEAD", HttpRequest.BodyPublishers.noBody());
      HttpResponse<InputStream> r = http.send(b, push(repository));
      RegistryTransport.drain(r);
      if (r.statusCode() == 200) {
        return true;
      }
      if (r.statusCode() == 404) {
        return false;
      }
      throw new RegistryTransport.PermanentFailure(r.statusCode(), "unexpected answer", null, null);
    });
  }

  @Override
  public boolean pushBlob(String repository, Blob content, String mountFrom) throws IOException {
    Descriptor blob = content.descriptor();
    return http.call("push blob " + blob.digest() + " to", repository, () -> {
      String query = mountFrom != null && !mountFrom.equals(repository)
          ? "?mount=" + blob.digest() + "&from=" + mountFrom : "";
      List<String> scopes = mountFrom != null && !mountFrom.equals(repository)
          ? List.of("repository:" + repository + ":pull,push", "repository:" + mountFrom + ":pull") : push(repository);
      URI start = http.uri(endpoint, "/v2/" + repository + "/blobs/uploads/" + query);
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(start)
          .POST(HttpRequest.BodyPublishers.noBody()), scopes);
      RegistryTransport.drain(r);
      if (r.statusCode() == 201) {
        return true;
      }
      expect(r, 202);
      URI location = location(start, r);
      String sep = location.getRawQuery() == null ? "?" : "&";
      URI put = URI.create(location + sep + "digest=" + blob.digest());
      HttpResponse<InputStream> done = http.send(HttpRequest.newBuilder(put)
          .header("Content-Type", "application/octet-stream")
          .PUT(body(content)), push(repository));
      expect(done, 201);
      RegistryTransport.drain(done);
      return false;
    });
  }

  /** The bytes of {@code blob} as a request body of its size, opened afresh for every attempt. */
  private static HttpRequest.BodyPublisher body(Blob blob) {
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
      try {
        return blob.open();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }), blob.descriptor().size());
  }

  @Override
  public Digest pushManifest(String repository, String tagOrDigest, String mediaType, byte[] bytes)
      throws IOException {
    return http.call("push manifest " + tagOrDigest + " to", repository, () -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(endpoint, "/v2/" + repository + "/manifests/" + tagOrDigest))
          .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
      HttpResponse<InputStream> r = http.send(b, push(repository));
      expect(r, 201);
      RegistryTransport.drain(r);
      Digest mine = Digest.sha256(bytes);
      Optional<String> theirs = r.headers().firstValue("Docker-Content-Digest");
      if (theirs.isPresent() && !Digest.parse(theirs.get()).equals(mine)) {
        throw new RegistryTransport.PermanentFailure(201, "the registry stored the manifest as " + theirs.get()
            + ", not " + mine, null, null);
      }
      return mine;
    });
  }

  private static URI location(URI base, HttpResponse<InputStream> r) throws IOException {
    String loc = r.headers().firstValue("Location").orElseThrow(() ->
        new RegistryTransport.PermanentFailure(r.statusCode(), "upload started without a Location", null, null));
    return base.resolve(loc);
  }

  private static void expect(HttpResponse<InputStream> r, int status) throws IOException {
    if (r.statusCode() != status) {
      String text = RegistryTransport.errorText(r);
      throw new RegistryTransport.PermanentFailure(r.statusCode(), orElse(text, "expected HTTP " + status), null, null);
    }
  }

  private static String orElse(String text, String otherwise) {
    return text.isEmpty() ? otherwise : text;
  }

  /** Fails when the stream ends before or runs past the expected size. */
  static final class SizeCheckingStream extends FilterInputStream {
    /** The content was longer or shorter than its descriptor said. */
    static final class SizeMismatch extends IOException {
      private static final long serialVersionUID = 1L;

      SizeMismatch(String message) {
        super(message);
      }
    }

    private final long expected;
    private long count;

    SizeCheckingStream(InputStream in, long expected) {
      super(in);
      this.expected = expected;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      account(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      account(n);
      return n;
    }

    private void account(int n) throws IOException {
      if (n < 0) {
        if (count < expected) {
          throw new IOException("blob ended after " + count + " of " + expected + " bytes");
        }
        return;
      }
      count += n;
      if (count > expected) {
        throw new SizeMismatch("blob is larger than its descriptor's " + expected + " bytes");
      }
    }
  }
}
