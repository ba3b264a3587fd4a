package dev.gantry.builder;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Platform;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.BaseResolver;
import dev.gantry.plan.StageRef;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.RegistryException;
import dev.gantry.store.BlobSink;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves bases that live in registries: {@code FROM} image references and build contexts given
 * as {@code docker-image://REF}. Resolution reads the manifest and config only (the manifest
 * digest pins the cache key); layers are fetched when a stage needs them.
 */
final class RegistryBases implements BaseResolver {
  private static final String PREFIX = "docker-image://";

  private final ImagePuller puller;
  private final boolean pull;
  private final Map<String, ImageReference> contexts;
  private final Map<Digest, ImageReference> sources = new ConcurrentHashMap<>();
  private final Map<String, BaseImage> resolved = new ConcurrentHashMap<>();

  RegistryBases(ImagePuller puller, boolean pull, Map<String, ImageReference> contexts) {
    this.puller = puller;
    this.pull = pull;
    this.contexts = Map.copyOf(contexts);
  }

  /** Parses {@code docker-image://REF} (null when {@code value} is not of that form). */
  static ImageReference parse(String value) {
    return value.startsWith(PREFIX) ? ImageReference.parse(value.substring(PREFIX.length())) : null;
  }

  /** True when {@code ref} is for this resolver. */
  boolean handles(StageRef ref) {
    return ref instanceof StageRef.OfImage || ref instanceof StageRef.OfContext c && contexts.containsKey(c.name());
  }

  @Override
  public BaseImage resolve(StageRef ref, Platform platform) throws IOException {
    String name;
    ImageReference image;
    if (ref instanceof StageRef.OfContext c && contexts.containsKey(c.name())) {
      name = c.name();
      image = contexts.get(name);
    } else if (ref instanceof StageRef.OfImage i) {
      name = i.reference();
      try {
        image = ImageReference.parse(name);
      } catch (IllegalArgumentException e) {
        throw new UnresolvableBaseException(e.getMessage(), null);
      }
    } else {
      throw new UnresolvableBaseException("not an image: " + ref, null);
    }
    String key = image + " " + platform;
    BaseImage known = resolved.get(key);
    if (known != null) {
      return known;
    }
    ImagePuller.Pulled p;
    try {
      p = puller.resolve(image, platform, pull);
    } catch (RegistryException e) {
      String local = LayoutBases.localImageHint(name);
      throw new UnresolvableBaseException("cannot pull \"" + name + "\": " + e.getMessage(),
          e.hint() == null ? local : e.hint() + "; " + local);
    }
    sources.put(p.manifest().config().digest(), image);
    for (Descriptor d : p.manifest().layers()) {
      sources.putIfAbsent(d.digest(), image);
    }
    BaseImage b = new BaseImage(name, p.manifestDigest(), p.config(), p.manifest().layers());
    resolved.put(key, b);
    return b;
  }

  /** True when {@code digest} belongs to an image this resolver resolved. */
  boolean knows(Digest digest) {
    return sources.containsKey(digest);
  }

  /** The image a blob of a resolved base came from, or null. */
  ImageReference source(Digest digest) {
    return sources.get(digest);
  }

  /** Pulls blob {@code d} of a resolved base through {@code sink} (verified), unless it is in the store. */
  void fetch(Descriptor d, BlobSink sink) throws IOException {
    ImageReference from = sources.get(d.digest());
    if (from == null) {
      throw new IOException("blob " + d.digest() + " of a base image is not available");
    }
    puller.fetch(from, d, sink);
  }
}
