package dev.gantry.builder;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildListener;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.plan.CacheKey;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.registry.Registry;
import dev.gantry.store.CacheRecord;
import dev.gantry.store.CachedLayer;
import dev.gantry.store.LayerIndex;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The caches a build imports ({@code --cache-from}): of each, only the artifact's manifest and its
 * cache document are read, up front. A step whose key one of them holds is a hit whose layers stay
 * where they are ({@link RemoteBlobs}); a missed step is explained against the imported preimage
 * of the same parent, fetched then. A cache that cannot be read or is inconsistent is left out
 * with a warning naming the problem; the build goes on without it.
 */
final class CacheImports {
  /** How many imported preimages a miss is compared with at most. */
  private static final int MAX_CANDIDATES = 3;
  /** The largest layer index an import reads (about 35 bytes an entry: millions of entries). */
  private static final long MAX_INDEX_BYTES = 256L << 20;
  /** The largest imported preimage a miss is compared with. */
  private static final long MAX_PREIMAGE_BYTES = 64L << 20;

  private record Imported(CacheOptions.Location location, Map<Digest, CacheDocument.Entry> entries,
      Map<Digest, Descriptor> indexes) {}

  private final List<Imported> caches;
  private final RemoteBlobs remote;
  private final Store store;

  private CacheImports(List<Imported> caches, RemoteBlobs remote, Store store) {
    this.caches = List.copyOf(caches);
    this.remote = remote;
    this.store = store;
  }

  /** Reads every cache of {@code from}; those that fail are reported to {@code listener} and skipped. */
  static CacheImports load(List<CacheOptions.Location> from, Registries registries, Store store, RemoteBlobs remote,
      BuildListener listener) {
    List<Imported> caches = new ArrayList<>();
    for (CacheOptions.Location location : from) {
      try {
        caches.add(read(location, registries, store, remote));
      } catch (IOException | RuntimeException e) {
        listener.onEvent(new BuildEvent.Message("warning: cache " + location + " not used: " + e.getMessage()));
      }
    }
    return new CacheImports(caches, remote, store);
  }

  private static Imported read(CacheOptions.Location location, Registries registries, Store store,
      RemoteBlobs remote) throws IOException {
    Manifest manifest;
    if (location instanceof CacheOptions.Location.Registry g) {
      Registry.FetchedManifest m = registries.of(g.reference()).manifest(g.reference());
      manifest = Json.readManifest(m.bytes());
    } else {
      OciLayoutReader reader = OciLayoutReader.open(((CacheOptions.Location.Directory) location).directory());
      manifest = reader.readManifest(reader.resolve(CacheExports.TAG));
    }
    Descriptor config = manifest.config();
    if (!CacheDocument.MEDIA_TYPE.equals(config.mediaType())) {
      throw new IOException("it is not a Gantry cache (its config is a " + config.mediaType() + ", not "
          + CacheDocument.MEDIA_TYPE + ")");
    }
    if (config.size() > CacheDocument.MAX_BYTES) {
      throw new IOException("its cache document of " + config.size() + " bytes exceeds the limit of "
          + CacheDocument.MAX_BYTES);
    }
    remote.fetch(location, config);
    CacheDocument doc = CacheDocument.parse(store.readBlob(config.digest()));
    Map<Digest, Long> sizes = new HashMap<>();
    for (Descriptor d : manifest.layers()) {
      sizes.put(d.digest(), d.size());
    }
    Map<Digest, CacheDocument.Entry> entries = new HashMap<>();
    for (CacheDocument.Entry e : doc.entries()) {
      check(e.key(), e.preimageSize(), sizes, "its record " + e.key());
      for (CachedLayer l : e.layers()) {
        check(l.digest(), l.size(), sizes, "its record " + e.key());
      }
      entries.put(e.key(), e);
    }
    for (Map.Entry<Digest, Descriptor> i : doc.indexes().entrySet()) {
      check(i.getValue().digest(), i.getValue().size(), sizes, "its index of layer " + i.getKey());
    }
    return new Imported(location, entries, doc.indexes());
  }

  /** Fails unless the artifact lists blob {@code digest} with {@code size}. */
  private static void check(Digest digest, long size, Map<Digest, Long> sizes, String owner) throws IOException {
    Long listed = sizes.get(digest);
    if (listed == null || listed != size) {
      throw new IOException(owner + " names blob " + digest + " of " + size + " bytes, which the"
          + " cache manifest " + (listed == null ? "does not list" : "lists with " + listed + " bytes"));
    }
  }

  /** How many caches were read. */
  int size() {
    return caches.size();
  }

  /**
   * The imported result of {@code key} as a cache record (layers fetched from their cache while the
   * store lacks them), from the first cache that holds it.
   */
  Optional<CacheRecord> lookup(CacheKey key) {
    for (Imported c : caches) {
      CacheDocument.Entry e = c.entries().get(key.digest());
      if (e != null) {
        String source = RemoteBlobs.text(c.location());
        List<CachedLayer> layers = e.layers().stream().map(l -> l.fetchedFrom(source)).toList();
        return Optional.of(new CacheRecord(layers, e.config(), e.attributes(), key.preimage()));
      }
    }
    return Optional.empty();
  }

  /**
   * The index of layer {@code diffId} (a cached step's or a base image's) from the first imported
   * cache that holds one, fetched (verified by digest) and stored; empty when none has it.
   */
  Optional<LayerIndex> index(Digest diffId) throws IOException {
    for (Imported c : caches) {
      Descriptor index = c.indexes().get(diffId);
      if (index != null && index.size() <= MAX_INDEX_BYTES) {
        remote.fetch(c.location(), index);
        return Optional.of(store.putLayerIndex(diffId, store.readBlob(index.digest())));
      }
    }
    return Optional.empty();
  }

  /**
   * The registry repository of the first imported cache whose artifact holds blob {@code digest} as
   * a preimage or a layer index, or null.
   */
  ImageReference repository(Digest digest) {
    for (Imported c : caches) {
      boolean holds = c.entries().containsKey(digest)
          || c.indexes().values().stream().anyMatch(d -> d.digest().equals(digest));
      if (holds && c.location() instanceof CacheOptions.Location.Registry g) {
        return g.reference();
      }
    }
    return null;
  }

  /**
   * Why {@code key} missed: its preimage compared with the imported ones of steps with the same
   * parent (the reasons of the closest one), if any differ in a way {@link MissExplainer} names.
   */
  Optional<String> explain(CacheKey key) {
    try {
      String parent = CacheDocument.parentOf(key.preimage());
      if (parent.isEmpty()) {
        return Optional.empty();
      }
      List<String> best = null;
      int compared = 0;
      for (Imported c : caches) {
        for (CacheDocument.Entry e : c.entries().values()) {
          if (!e.parent().equals(parent) || e.preimageSize() > MAX_PREIMAGE_BYTES || compared >= MAX_CANDIDATES) {
            continue;
          }
          compared++;
          remote.fetch(c.location(), e.preimage());
          String old = new String(store.readBlob(e.key()), StandardCharsets.UTF_8);
          List<String> reasons = MissExplainer.reasons(old, key.preimage());
          if (!reasons.isEmpty() && (best == null || reasons.size() < best.size())) {
            best = reasons;
          }
        }
      }
      return best == null ? Optional.empty() : Optional.of(String.join("; ", best));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
