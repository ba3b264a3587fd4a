package dev.gantry.builder;

import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageSink;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Writes a built image to the outputs a build asked for, in their order, each through its {@link ImageSink}. */
final class Outputs {
  private Outputs() {}

  /**
   * Writes {@code image} tagged {@code tags} to every output; archive entries are dated {@code epoch},
   * {@code registries} gives the sink of a registry output.
   */
  static void write(Image image, List<String> tags, List<Output> outputs, Instant epoch,
      Function<Output.Registry, ImageSink> registries) throws BuildException {
    for (Output o : outputs) {
      try {
        (o instanceof Output.Registry r ? registries.apply(r) : sink(o, epoch)).write(image, tags);
      } catch (IOException e) {
        throw o instanceof Output.Registry ? Pushes.failure(e)
            : new BuildException("cannot write output: " + e.getMessage(), null, e);
      }
    }
  }

  /** The sink of a file output; archive entries are dated {@code epoch}. */
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
    throw new IllegalArgumentException("no file sink for output " + output);
  }
}
