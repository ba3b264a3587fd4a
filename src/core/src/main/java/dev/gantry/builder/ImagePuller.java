package dev.gantry.builder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.Index;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.Platform;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.registry.Registry;
import dev.gantry.store.BlobSink;
import dev.gantry.store.Store;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves image references to a platform's manifest and config (kept in the store, so a tag
 * pulled once is not asked for again unless a pull is forced), and fetches layers on demand,
 * each verified against digest and size before it enters the store: the registry speaks the
 * protocol, the store keeps what it yields. Thread-safe.
 */
public final class ImagePuller {
  /**
   * A resolved image.
   *
   * @param reference what was asked for
   * @param manifestDigest the digest of the platform's manifest (pins the image)
   * @param manifest that manifest
   * @param config its config
   */
  public record Pulled(ImageReference reference, Digest manifestDigest, Manifest manifest, ImageConfig config) {}

  /** The prefix of the store tags recording a resolved image: {@code pulled REF PLATFORM}. */
  private static final String PULLED = "pulled ";

  /** How many resolved images a JVM keeps parsed (the most recently used). */
  private static final int KEPT = 32;
  /**
   * Manifests and configs parsed by the builds of this JVM, by manifest digest: content-addressed,
   * so a later build resolving the same tag from the store skips reading and parsing them.
   */
  private static final Map<Digest, Parsed> PARSED = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Digest, Parsed> eldest) {
      return size() > KEPT;
    }
  };

  private final Registries registries;
  private final Store store;

  public ImagePuller(Registries registries, Store store) {
    this.registries = Objects.requireNonNull(registries, "registries");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** True when this store resolved {@code ref} for {@code platform} before and holds its manifest. */
  boolean resolvedBefore(ImageReference ref, Platform platform) {
    try {
      Optional<Digest> known = store.resolve(tagName(ref, platform));
      return known.isPresent() && store.hasBlob(known.get());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Resolves {@code ref} for {@code platform}. Unless {@code pull}, a manifest this store already
   * resolved for the same reference and platform is used without asking the registry.
   */
  public Pulled resolve(ImageReference ref, Platform platform, boolean pull) throws IOException {
    String tagName = tagName(ref, platform);
    if (!pull) {
      Optional<Digest> known = store.resolve(tagName);
      if (known.isPresent() && store.hasBlob(known.get())) {
        Parsed p = parsed(known.get());
        if (p != null && store.hasBlob(p.manifest().config().digest())) {
          return new Pulled(ref, known.get(), p.manifest(), p.config());
        }
        Manifest m = Json.readManifest(store.readBlob(known.get()));
        ImageConfig config = config(ref, m);
        remember(known.get(), new Parsed(m, config));
        return new Pulled(ref, known.get(), m, config);
      }
    }
    Registry registry = registries.of(ref);
    Registry.FetchedManifest top = registry.manifest(ref);
    Registry.FetchedManifest chosen = top;
    if (isIndex(top)) {
      Descriptor d = select(Json.readIndex(top.bytes()), platform, ref);
      chosen = registry.manifest(new ImageReference(ref.registry(), ref.repository(), null, d.digest().toString()));
      if (chosen.bytes().length != d.size()) {
        throw new IOException("manifest " + d.digest() + " of " + ref + " is " + chosen.bytes().length
            + " bytes, its index says " + d.size());
      }
    }
    Manifest m = Json.readManifest(chosen.bytes());
    String type = m.mediaType() != null ? m.mediaType() : chosen.mediaType();
    if (!MediaType.isManifest(type) && !(type == null || type.isEmpty())) {
      throw new IOException(ref + " is a " + type + ", not an image manifest Gantry can use");
    }
    store.putBlob(new java.io.ByteArrayInputStream(chosen.bytes()), chosen.digest());
    ImageConfig config = config(ref, m);
    store.tag(tagName, chosen.digest());
    return new Pulled(ref, chosen.digest(), m, config);
  }

  /** The store tag recording which manifest {@code ref} resolved to for {@code platform}. */
  private static String tagName(ImageReference ref, Platform platform) {
    return PULLED + ref + " " + platform;
  }

  /** The manifest and config of a resolved image, parsed. */
  private record Parsed(Manifest manifest, ImageConfig config) {}

  /** The parsed manifest (by digest) and config of an image this JVM resolved before, or null. */
  private static Parsed parsed(Digest manifest) {
    synchronized (PARSED) {
      return PARSED.get(manifest);
    }
  }

  private static void remember(Digest manifest, Parsed parsed) {
    synchronized (PARSED) {
      PARSED.put(manifest, parsed);
    }
  }

  private ImageConfig config(ImageReference ref, Manifest m) throws IOException {
    fetch(ref, m.config());
    return Json.readConfig(store.readBlob(m.config().digest()));
  }

  /** Puts blob {@code d} of {@code ref}'s repository into the store, unless it is there. */
  public void fetch(ImageReference ref, Descriptor d) throws IOException {
    fetch(ref, d, store::putBlob);
  }

  /**
   * Puts blob {@code d} of {@code ref}'s repository into the store through {@code sink} (a
   * {@link dev.gantry.store.LayerIntake} indexes a layer as it streams), unless it is there.
   */
  public void fetch(ImageReference ref, Descriptor d, BlobSink sink) throws IOException {
    if (!store.hasBlob(d.digest())) {
      registries.of(ref).pullBlob(ref.repository(), d, in -> sink.put(in, d.digest()));
    }
  }

  private static boolean isIndex(Registry.FetchedManifest f) {
    if (MediaType.isIndex(f.mediaType())) {
      return true;
    }
    JsonNode tree = Json.readTree(f.bytes());
    return MediaType.isIndex(tree.path("mediaType").asText("")) || (!tree.has("config") && tree.has("manifests"));
  }

  /** The manifest of {@code index} for {@code platform} (os, architecture, and variant when both have one). */
  static Descriptor select(Index index, Platform platform, ImageReference ref) throws IOException {
    return index.forPlatform(platform).orElseThrow(() -> new IOException(ref + " has no image for " + platform));
  }
}
