package dev.gantry.api;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.registry.ImageReference;
import dev.gantry.store.DiskUsage;
import dev.gantry.store.GcReport;
import dev.gantry.store.PrunePolicy;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The store management behind {@link Gantry#images}, {@code removeImages}, {@code diskUsage} and {@code prune}. */
final class LocalStore {
  /** Tags recording a pulled base image: {@code pulled REF PLATFORM}. */
  private static final String PULLED = "pulled ";

  private LocalStore() {}

  static List<ImageSummary> images(Store store) throws IOException {
    List<ImageSummary> out = new ArrayList<>();
    for (Map.Entry<String, Digest> t : store.tags().entrySet()) {
      boolean pulled = t.getKey().startsWith(PULLED);
      String name = pulled ? pulledReference(t.getKey()) : t.getKey();
      Digest digest = t.getValue();
      long size = 0;
      Instant created = null;
      if (store.hasBlob(digest)) {
        byte[] bytes = store.readBlob(digest);
        size = bytes.length;
        try {
          Manifest m = Json.readManifest(bytes);
          size += m.config().size();
          for (Descriptor layer : m.layers()) {
            size += layer.size();
          }
          if (store.hasBlob(m.config().digest())) {
            created = Json.readConfig(store.readBlob(m.config().digest())).created();
          }
        } catch (RuntimeException e) {
          // not an image manifest: listed with its own size
        }
      }
      out.add(new ImageSummary(name, digest, size, created, pulled));
    }
    return out;
  }

  /** The reference of a {@code pulled REF PLATFORM} tag. */
  private static String pulledReference(String tag) {
    String[] parts = tag.split(" ");
    return parts.length >= 2 ? parts[1] : tag;
  }

  static RemoveResult remove(Store store, List<String> refs) throws IOException {
    List<String> untagged = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String ref : refs) {
      boolean found = false;
      for (String tag : store.tags().keySet()) {
        if (matches(tag, ref) && store.untag(tag)) {
          found = true;
        }
      }
      (found ? untagged : missing).add(ref);
    }
    return new RemoveResult(untagged, missing);
  }

  /** Whether store tag {@code tag} is what {@code ref} names: the same text, or the same normalised reference. */
  static boolean matches(String tag, String ref) {
    if (tag.equals(ref)) {
      return true;
    }
    String name = tag.startsWith(PULLED) ? pulledReference(tag) : tag;
    if (name.equals(ref)) {
      return true;
    }
    try {
      return Objects.equals(ImageReference.parse(name), ImageReference.parse(ref));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static StoreUsage usage(Store store) throws IOException {
    DiskUsage du = store.diskUsage();
    List<StoreUsage.Category> categories = new ArrayList<>();
    for (DiskUsage.Kind kind : DiskUsage.Kind.values()) {
      categories.add(new StoreUsage.Category(kind.title(), du.count(kind), du.bytes(kind)));
    }
    categories.add(new StoreUsage.Category("other", 0, du.otherBytes()));
    List<StoreUsage.Entry> entries = new ArrayList<>();
    for (DiskUsage.Entry e : du.largest(Integer.MAX_VALUE)) {
      entries.add(new StoreUsage.Entry(e.kind().title(), e.name(), e.bytes(), e.lastUse()));
    }
    return new StoreUsage(categories, entries);
  }

  static PruneResult prune(Store store, PruneRequest request) throws IOException {
    PrunePolicy policy = request.keepStorage().isPresent()
        ? PrunePolicy.keepBytes(request.keepStorage().getAsLong())
        : request.all() ? PrunePolicy.allUntagged() : PrunePolicy.unreferenced();
    return result(store.prune(policy.olderThan(request.until())));
  }

  static PruneResult result(GcReport r) {
    return new PruneResult(r.bytesFreed(), r.blobsRemoved().size(), r.recordsRemoved().size(),
        r.directoriesRemoved().size(), r.leftoversRemoved(), r.bytesBefore(), r.bytesAfter(), r.buildsRunning());
  }

  /** The store at {@code dir}, or the default one. */
  static Store open(Path dir) throws IOException {
    return Store.open(dir == null ? Store.defaultRoot() : dir);
  }
}
