package dev.gantry.plan;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * A resolved base image: the digest that pins it, its config and its layers (not yet fetched).
 *
 * @param reference what the Dockerfile or the build context named
 * @param manifestDigest the digest that pins the image (part of every cache key built on it)
 * @param config its image config
 * @param layers its layer descriptors, base first
 */
public record BaseImage(String reference, Digest manifestDigest, ImageConfig config, List<Descriptor> layers) {
  public BaseImage {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
  }
}
