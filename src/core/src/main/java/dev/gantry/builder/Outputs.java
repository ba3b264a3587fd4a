package dev.gantry.builder;

import dev.gantry.model.Output;
import dev.gantry.oci.DockerArchiveWriter;
import dev.gantry.oci.Image;
import dev.gantry.oci.OciArchiveWriter;
import dev.gantry.oci.OciLayoutWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a built image to the outputs a build asked for; archives appear complete or not at all. A
 * docker archive holds the image with Docker schema 2 types (the same layer bytes).
 */
final class Outputs {
  private Outputs() {}

  static void write(Image image, List<String> tags, List<Output> outputs, Instant epoch) throws IOException {
    for (Output o : outputs) {
      if (o instanceof Output.OciLayout l) {
        OciLayoutWriter.at(l.directory()).write(image, refNames(tags));
      } else if (o instanceof Output.OciArchive a) {
        OciArchiveWriter.withMtime(epoch).write(image, refNames(tags), a.file());
      } else if (o instanceof Output.DockerArchive d) {
        DockerArchiveWriter.withMtime(epoch).write(image.withDockerTypes(), tags, d.file());
      }
    }
  }

  /** The {@code org.opencontainers.image.ref.name} of each tag: the part after the name ({@code app:1} -> {@code 1}). */
  static List<String> refNames(List<String> tags) {
    List<String> names = new ArrayList<>();
    for (String t : tags) {
      int at = t.indexOf('@');
      String ref = at >= 0 ? t.substring(0, at) : t;
      int slash = ref.lastIndexOf('/');
      int colon = ref.lastIndexOf(':');
      names.add(colon > slash ? ref.substring(colon + 1) : "latest");
    }
    return names;
  }
}
