package dev.gantry.cli;

import dev.gantry.api.BuildResult;
import dev.gantry.model.PushResult;
import dev.gantry.oci.Json;

/** The {@code --metadata-file} JSON, with the keys {@code docker buildx build} writes. */
final class Metadata {
  private Metadata() {}

  static String json(BuildResult r) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"containerimage.digest\": \"").append(r.manifestDigest()).append("\",\n");
    sb.append("  \"containerimage.config.digest\": \"").append(r.configDigest()).append("\"");
    if (!r.tags().isEmpty()) {
      sb.append(",\n  \"image.name\": ").append(Json.writeValue(String.join(",", r.tags())));
    }
    return sb.append("\n}\n").toString();
  }

  static String json(PushResult r) {
    return "{\n  \"containerimage.digest\": \"" + r.manifestDigest() + "\",\n  \"image.name\": "
        + Json.writeValue(String.join(",", r.destinations())) + "\n}\n";
  }
}
