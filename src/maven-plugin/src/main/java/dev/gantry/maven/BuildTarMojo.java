package dev.gantry.maven;

import dev.gantry.model.Output;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the Dockerfile into a docker-archive tar file, without a Docker daemon. The file loads
 * with {@code docker load -i FILE} or {@code podman load -i FILE}; its tags are the image's tags.
 */
@Mojo(name = "buildTar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class BuildTarMojo extends AbstractGantryMojo {

  /** The docker-archive tar file to write (replaced atomically when it exists). */
  @Parameter(property = "gantry.outputFile", defaultValue = "${project.build.directory}/gantry/image.tar",
      required = true)
  File outputFile;

  @Override
  Output output() {
    return new Output.DockerArchive(outputFile.toPath());
  }

  @Override
  File destination() {
    return outputFile;
  }
}
