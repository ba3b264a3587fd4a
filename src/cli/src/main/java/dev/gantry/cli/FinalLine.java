package dev.gantry.cli;

import dev.gantry.model.Output;
import java.util.ArrayList;
import java.util.List;

/** The last line a successful build prints: the image and every place it was written to. */
final class FinalLine {
  private FinalLine() {}

  /**
   * {@code wrote image DIGEST (TAGS) to PATH (KIND), REF (pushed), ...}, or, when the build wrote
   * nothing but the local store, where it is kept and how to export it.
   */
  static String of(String digest, List<String> tags, List<Output> outputs, boolean pushed) {
    String image = "image " + digest + (tags.isEmpty() ? "" : " (" + String.join(", ", tags) + ")");
    List<String> places = new ArrayList<>();
    for (Output o : outputs) {
      if (o instanceof Output.OciLayout l) {
        places.add(l.directory() + " (OCI layout)");
      } else if (o instanceof Output.OciArchive a) {
        places.add(a.file() + " (OCI archive)");
      } else if (o instanceof Output.DockerArchive d) {
        places.add(d.file() + " (docker archive)");
      } else if (o instanceof Output.Registry r) {
        (r.names().isEmpty() ? tags : r.names()).forEach(t -> places.add(t + " (pushed)"));
      }
    }
    if (pushed) {
      tags.forEach(t -> places.add(t + " (pushed)"));
    }
    if (places.isEmpty()) {
      return image + " kept in the local store only; export it with -o type=oci,dest=DIR or -o type=docker,dest=FILE";
    }
    return "wrote " + image + " to " + String.join(", ", places);
  }
}
