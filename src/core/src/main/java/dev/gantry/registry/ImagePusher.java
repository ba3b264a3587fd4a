package dev.gantry.registry;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes an image from the store (or another set of blob files) to one or more references: per
 * repository, blobs the registry has are skipped ({@code HEAD}), blobs known in another repository
 * of the same registry are mounted, the rest are uploaded in parallel; the manifest goes last, once
 * per tag. Thread-safe.
 */
public final class ImagePusher {
  /**
   * What one push did.
   *
   * @param digest the manifest digest the registries reported
   * @param uploaded blobs uploaded
   * @param mounted blobs mounted from another repository
   * @param skipped blobs the registry already had
   */
  public record Report(Digest digest, int uploaded, int mounted, int skipped) {}

  /** Where the files of an image's blobs are. */
  @FunctionalInterface
  public interface BlobFiles {
    /** The file holding the blob {@code digest}. */
    Path path(Digest digest) throws IOException;
  }

  private final Registries registries;
  private final BlobFiles files;
  private final int parallelism;
  /** Repositories known to hold a blob, by registry then digest. */
  private final Map<String, Map<Digest, String>> known = new ConcurrentHashMap<>();

  /** A pusher of images whose blobs are in {@code store}. */
  public ImagePusher(Registries registries, Store store, int parallelism) {
    this(registries, Objects.requireNonNull(store, "store")::blobPath, parallelism);
  }

  /** A pusher of images whose blobs are in the files {@code files} names (an OCI layout, say). */
  public ImagePusher(Registries registries, BlobFiles files, int parallelism) {
    this.registries = Objects.requireNonNull(registries, "registries");
    this.files = Objects.requireNonNull(files, "files");
    this.parallelism = Math.max(1, parallelism);
  }

  /** Records that {@code ref}'s repository holds {@code digest} (a pulled base's layer), for mounting. */
  public void knownIn(ImageReference ref, Digest digest) {
    known.computeIfAbsent(ref.registry(), k -> new ConcurrentHashMap<>()).putIfAbsent(digest, ref.repository());
  }

  /**
   * Pushes the manifest {@code manifest} (of media type {@code mediaType}) with its config and
   * layers, all in the store, to every reference of {@code targets}.
   */
  public Report push(byte[] manifest, String mediaType, Descriptor config, List<Descriptor> layers,
      List<ImageReference> targets) throws IOException {
    List<Descriptor> blobs = new ArrayList<>(layers);
    blobs.add(config);
    Map<String, ImageReference> repos = new LinkedHashMap<>();
    for (ImageReference t : targets) {
      repos.putIfAbsent(t.registry() + "/" + t.repository(), t);
    }
    AtomicInteger uploaded = new AtomicInteger();
    AtomicInteger mounted = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, blobs.size()), r -> {
      Thread t = new Thread(r, "gantry-push");
      t.setDaemon(true);
      return t;
    });
    try {
      for (ImageReference repo : repos.values()) {
        List<Future<?>> futures = new ArrayList<>();
        for (Descriptor d : blobs) {
          futures.add(pool.submit(() -> {
            pushBlob(repo, d, uploaded, mounted, skipped);
            return null;
          }));
        }
        await(futures);
      }
    } finally {
      pool.shutdownNow();
    }
    Digest digest = null;
    for (ImageReference t : targets) {
      String qualifier = t.tag() != null ? t.tag() : t.digest();
      digest = registries.of(t).pushManifest(t.repository(), qualifier, mediaType, manifest);
    }
    return new Report(digest, uploaded.get(), mounted.get(), skipped.get());
  }

  private void pushBlob(ImageReference repo, Descriptor d, AtomicInteger uploaded, AtomicInteger mounted,
      AtomicInteger skipped) throws IOException {
    Registry registry = registries.of(repo);
    if (registry.hasBlob(repo.repository(), d.digest())) {
      skipped.incrementAndGet();
    } else {
      String from = known.getOrDefault(repo.registry(), Map.of()).get(d.digest());
      boolean wasMounted = registry.pushBlob(repo.repository(), d, files, from);
      (wasMounted ? mounted : uploaded).incrementAndGet();
    }
    knownIn(repo, d.digest());
  }

  private static void await(List<Future<?>> futures) throws IOException {
    IOException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
          futures.forEach(o -> o.cancel(true));
        }
      } catch (java.util.concurrent.CancellationException e) {
        // cancelled after the first failure
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
