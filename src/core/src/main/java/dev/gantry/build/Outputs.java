package dev.gantry.build;

import dev.gantry.oci.DockerArchiveWriter;
import dev.gantry.oci.Image;
import dev.gantry.oci.OciArchiveWriter;
import dev.gantry.oci.OciLayoutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes a built image to the outputs a build asked for. Archives are written to a temp file and renamed. */
final class Outputs {
  private Outputs() {}

  static void write(Image image, List<String> tags, List<BuildSpec.OutputSpec> outputs, Instant epoch)
      throws IOException {
    for (BuildSpec.OutputSpec o : outputs) {
      switch (o.kind()) {
        case "oci" -> OciLayoutWriter.at(o.path()).write(image, refNames(tags));
        case "oci-tar" -> atomically(o.path(), tmp -> OciArchiveWriter.withMtime(epoch).write(image, refNames(tags), tmp));
        case "docker" -> atomically(o.path(), tmp -> DockerArchiveWriter.withMtime(epoch).write(image, tags, tmp));
        default -> throw new IOException("unknown output type " + o.kind());
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

  private interface Writer {
    void write(Path tmp) throws IOException;
  }

  private static void atomically(Path target, Writer w) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try {
      w.write(tmp);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
