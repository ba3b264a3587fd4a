package dev.gantry.builder;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.MountableBlob;
import dev.gantry.registry.Registries;
import dev.gantry.store.BlobSink;
import dev.gantry.store.CachedLayer;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Layers of imported caches and registry bases that the store may not hold: where each is fetched
 * from when a step needs its files (verified by digest and size, as any pull), and which registry
 * repository holds it, so a push mounts it instead of downloading and uploading it. Each location
 * is also noted in the store ({@link Store#noteSource}), for a later push of an image kept under a
 * tag. A location is written as {@code docker-image://REGISTRY/REPOSITORY} or {@code oci-layout://DIR}.
 */
final class RemoteBlobs {
  private static final String REGISTRY = "docker-image://";
  private static final String DIRECTORY = "oci-layout://";

  private record Remote(Descriptor blob, CacheOptions.Location location) {}

  private final Store store;
  private final Registries registries;
  private final Map<Digest, Remote> known = new ConcurrentHashMap<>();

  RemoteBlobs(Store store, Registries registries) {
    this.store = store;
    this.registries = registries;
  }

  /** The location text of {@code location}, as cache records hold it. */
  static String text(CacheOptions.Location location) {
    if (location instanceof CacheOptions.Location.Registry r) {
      return REGISTRY + r.reference().registry() + "/" + r.reference().repository();
    }
    return DIRECTORY + ((CacheOptions.Location.Directory) location).directory().toAbsolutePath();
  }

  /** The location {@code text} names; an {@link IOException} when it names none. */
  static CacheOptions.Location location(String text) throws IOException {
    try {
      if (text.startsWith(REGISTRY)) {
        return new CacheOptions.Location.Registry(ImageReference.parse(text.substring(REGISTRY.length())));
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("cache layer source " + text + ": " + e.getMessage(), e);
    }
    if (text.startsWith(DIRECTORY)) {
      return new CacheOptions.Location.Directory(Path.of(text.substring(DIRECTORY.length())));
    }
    throw new IOException("cache layer source " + text + " is neither " + REGISTRY + " nor " + DIRECTORY);
  }

  /**
   * Remembers where the layers of a cache hit are, for those whose blob the store lacks (also in
   * the store: a later push of an image kept under a tag fetches them from there).
   */
  void add(Iterable<CachedLayer> layers) throws IOException {
    for (CachedLayer l : layers) {
      if (l.source() != null && !store.hasBlob(l.digest())) {
        add(Descriptor.of(l.mediaType(), l.digest(), l.size()), location(l.source()));
      }
    }
  }

  /** Remembers that blob {@code blob}, when absent from the store, is fetched from {@code location}. */
  void add(Descriptor blob, CacheOptions.Location location) throws IOException {
    if (known.putIfAbsent(blob.digest(), new Remote(blob, location)) == null) {
      store.noteSource(blob.digest(), text(location));
    }
  }

  /**
   * Blob {@code b} of the store's image as a push reads it: when the store lacks it, fetched into
   * it on first read from where the store noted it can be ({@link Store#source}); a
   * {@link MountableBlob} when that is a registry repository. A {@link NoSuchFileException} when
   * the store neither holds it nor knows where it is.
   */
  Blob noted(Blob b) throws IOException {
    Descriptor d = b.descriptor();
    Optional<String> source = store.source(d.digest());
    boolean held = store.hasBlob(d.digest());
    if (source.isEmpty()) {
      if (!held) {
        throw new NoSuchFileException(store.blobPath(d.digest()).toString(), null,
            "blob " + d.digest() + " is not in the store, and nothing says where it is");
      }
      return b;
    }
    CacheOptions.Location location = location(source.get());
    Blob lazy = held ? b : Blobs.of(d, () -> {
      fetch(location, d);
      return b.open();
    });
    return location instanceof CacheOptions.Location.Registry g ? new MountableBlob(lazy, g.reference()) : lazy;
  }

  /** True when {@code digest} is a layer of an imported cache or a registry base this build may fetch. */
  boolean knows(Digest digest) {
    return known.containsKey(digest);
  }

  /** The registry repository holding blob {@code digest} (an imported cache's, a base's), or null. */
  ImageReference repository(Digest digest) {
    Remote r = known.get(digest);
    return r != null && r.location() instanceof CacheOptions.Location.Registry g ? g.reference() : null;
  }

  /**
   * Puts blob {@code digest} (which {@link #knows}) into the store through {@code sink}, verified,
   * unless it is there.
   */
  void fetch(Digest digest, BlobSink sink) throws IOException {
    Remote r = known.get(digest);
    if (r == null || store.hasBlob(digest)) {
      return;
    }
    fetch(r.location(), r.blob(), sink);
  }

  /** Puts blob {@code blob} of {@code location} into the store, verified, unless it is there. */
  void fetch(CacheOptions.Location location, Descriptor blob) throws IOException {
    fetch(location, blob, store::putBlob);
  }

  /**
   * Puts blob {@code blob} of {@code location} into the store through {@code sink} (a layer intake
   * indexes it as it streams), verified, unless it is there.
   */
  void fetch(CacheOptions.Location location, Descriptor blob, BlobSink sink) throws IOException {
    if (store.hasBlob(blob.digest())) {
      return;
    }
    if (location instanceof CacheOptions.Location.Registry g) {
      new ImagePuller(registries, store).fetch(g.reference(), blob, sink);
      return;
    }
    Path file = OciLayoutWriter.blobPath(((CacheOptions.Location.Directory) location).directory(), blob.digest());
    long size = Files.size(file);
    if (size != blob.size()) {
      throw new IOException("blob " + blob.digest() + " of cache " + location + " has " + size
          + " bytes, not " + blob.size() + "; nothing was stored");
    }
    try (InputStream in = Files.newInputStream(file)) {
      sink.put(in, blob.digest());
    }
  }
}
