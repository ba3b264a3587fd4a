package dev.gantry.builder;

import dev.gantry.model.Output;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageSink;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Writes a built image to the outputs a build asked for, each through its {@link ImageSink}. */
final class Outputs {
  private Outputs() {}

  static void write(Image image, List<String> tags, List<Output> outputs, Instant epoch) throws IOException {
    for (Output o : outputs) {
      sink(o, epoch).write(image, tags);
    }
  }

  /** The sink of {@code output}; archive entries are dated {@code epoch}. */
  static ImageSink sink(Output output, Instant epoch) {
    if (output instanceof Output.OciLayout l) {
      return ImageSink.ociLayout(l.directory());
    }
    if (output instanceof Output.OciArchive a) {
      return ImageSink.ociArchive(a.file(), epoch);
    }
    if (output instanceof Output.DockerArchive d) {
      return ImageSink.dockerArchive(d.file(), epoch);
    }
    throw new IllegalArgumentException("no sink for output " + output);
  }
}
