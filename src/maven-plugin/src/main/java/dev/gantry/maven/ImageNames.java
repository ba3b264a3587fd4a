package dev.gantry.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code image} and {@code tags} parameters into the references an image is tagged with.
 * {@code image} is a full reference ({@code registry.example:5000/team/app:1.0}); each entry of
 * {@code tags} is either a bare tag, applied to the repository of {@code image}
 * ({@code latest} -> {@code registry.example:5000/team/app:latest}), or a full reference of its own
 * (anything containing {@code /} or {@code :}, which a bare tag cannot).
 */
final class ImageNames {
  private ImageNames() {}

  /**
   * The references to tag the image with, {@code image} first, without duplicates.
   *
   * @throws IllegalArgumentException when a bare tag is given without {@code image}
   */
  static List<String> references(String image, List<String> tags) {
    List<String> refs = new ArrayList<>();
    String img = image == null || image.isBlank() ? null : image.trim();
    if (img != null) {
      refs.add(img);
    }
    for (String t : tags == null ? List.<String>of() : tags) {
      if (t == null || t.isBlank()) {
        continue;
      }
      String tag = t.trim();
      String ref;
      if (tag.contains("/") || tag.contains(":")) {
        ref = tag;
      } else if (img == null) {
        throw new IllegalArgumentException("tag '" + tag + "' needs the image parameter (gantry.image) to name"
            + " its repository, or give a full reference such as app:" + tag);
      } else {
        ref = repository(img) + ":" + tag;
      }
      if (!refs.contains(ref)) {
        refs.add(ref);
      }
    }
    return refs;
  }

  /**
   * The registry host of a reference as docker reads it: the first path component when it has a
   * {@code .} or {@code :} or is {@code localhost}, else {@code docker.io}.
   */
  static String registry(String reference) {
    int slash = reference.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = reference.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
  }

  /** {@code reference} without its tag and digest: {@code host:5000/app:1@sha256:..} -> {@code host:5000/app}. */
  static String repository(String reference) {
    int at = reference.indexOf('@');
    String ref = at >= 0 ? reference.substring(0, at) : reference;
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    return colon > slash ? ref.substring(0, colon) : ref;
  }
}
