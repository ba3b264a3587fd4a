package dev.gantry.registry;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Digest;
import dev.gantry.oci.IoTasks;
import dev.gantry.oci.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes an {@link Image} (its blobs read wherever they are: the store, an OCI layout) to one or
 * more references: per repository, blobs the registry has are skipped ({@code HEAD}), blobs known in
 * another repository of the same registry are mounted, the rest are uploaded in parallel; the
 * manifest goes last, once per tag. Thread-safe.
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

  private final Registries registries;
  private final int parallelism;
  /** Repositories known to hold a blob, by registry then digest: where a later repository mounts it from. */
  private final Map<String, Map<Digest, String>> known = new ConcurrentHashMap<>();

  /** A pusher that uploads up to {@code parallelism} blobs at once. */
  public ImagePusher(Registries registries, int parallelism) {
    this.registries = Objects.requireNonNull(registries, "registries");
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Pushes {@code image} (its layers, config and then manifest) to every reference of
   * {@code targets}. A {@link MountableBlob} is mounted from its repository when that is on the
   * same registry.
   */
  public Report push(Image image, List<ImageReference> targets) throws IOException {
    List<Blob> blobs = new ArrayList<>(image.layers());
    blobs.add(image.config());
    for (Blob b : blobs) {
      if (b instanceof MountableBlob m) {
        remember(m.from(), b.descriptor().digest());
      }
    }
    byte[] manifest = Blobs.readAll(image.manifest());
    Map<String, ImageReference> repos = new LinkedHashMap<>();
    for (ImageReference t : targets) {
      repos.putIfAbsent(t.registry() + "/" + t.repository(), t);
    }
    AtomicInteger uploaded = new AtomicInteger();
    AtomicInteger mounted = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    for (ImageReference repo : repos.values()) {
      List<IoTasks.Task> pushes = new ArrayList<>();
      for (Blob b : blobs) {
        pushes.add(() -> pushBlob(repo, b, uploaded, mounted, skipped));
      }
      IoTasks.runAll(pushes, parallelism, "gantry-push");
    }
    Digest digest = null;
    String mediaType = image.manifest().descriptor().mediaType();
    for (ImageReference t : targets) {
      String qualifier = t.tag() != null ? t.tag() : t.digest();
      digest = registries.of(t).pushManifest(t.repository(), qualifier, mediaType, manifest);
    }
    return new Report(digest, uploaded.get(), mounted.get(), skipped.get());
  }

  private void remember(ImageReference ref, Digest digest) {
    known.computeIfAbsent(ref.registry(), k -> new ConcurrentHashMap<>()).putIfAbsent(digest, ref.repository());
  }

  private void pushBlob(ImageReference repo, Blob b, AtomicInteger uploaded, AtomicInteger mounted,
      AtomicInteger skipped) throws IOException {
    Registry registry = registries.of(repo);
    Digest digest = b.descriptor().digest();
    if (registry.hasBlob(repo.repository(), digest)) {
      skipped.incrementAndGet();
    } else {
      String from = known.getOrDefault(repo.registry(), Map.of()).get(digest);
      boolean wasMounted = registry.pushBlob(repo.repository(), b, from);
      (wasMounted ? mounted : uploaded).incrementAndGet();
    }
    remember(repo, digest);
  }
}
