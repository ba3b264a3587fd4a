package dev.gantry.cli;

import dev.gantry.api.BuildResult;
import dev.gantry.model.PushResult;

/** The {@code --metadata-file} JSON, with the keys {@code docker buildx build} writes. */
final class Metadata {
  private Metadata() {}

  static String json(BuildResult r) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"containerimage.digest\": \"").append(r.manifestDigest()).append("\",\n");
    sb.append("  \"containerimage.config.digest\": \"").append(r.configDigest()).append("\"");
    if (!r.tags().isEmpty()) {
      sb.append(",\n  \"image.name\": \"").append(escape(String.join(",", r.tags()))).append("\"");
    }
    return sb.append("\n}\n").toString();
  }

  static String json(PushResult r) {
    return "{\n  \"containerimage.digest\": \"" + r.manifestDigest() + "\",\n  \"image.name\": \""
        + escape(String.join(",", r.destinations())) + "\"\n}\n";
  }

  /** {@code s} with JSON string escapes, without the quotes. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
