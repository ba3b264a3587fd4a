package dev.gantry.maven;

import dev.gantry.model.Output;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the Dockerfile into an OCI image layout directory, without a Docker daemon. The layout
 * (an {@code index.json}, {@code oci-layout} and {@code blobs/}) can be run with
 * {@code podman run oci:DIR}, copied to a registry with {@code skopeo copy oci:DIR docker://REF}, or
 * used as a base by another Gantry build ({@code oci-layout://DIR}).
 *
 * <p>With {@code push} the image is also pushed to every tag. Credentials come from Maven's
 * {@code settings.xml}: the server entry whose id equals the registry host of the reference (with
 * its port, e.g. {@code registry.example.com:5000}, or {@code docker.io} for Docker Hub) supplies the
 * username and password (the same entries serve pulls of base images); without such a server entry
 * the Docker config and its credential helpers are asked, as {@code docker push} would.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class BuildMojo extends AbstractGantryMojo {

  /** The OCI image layout directory to write; tags become its {@code org.opencontainers.image.ref.name}s. */
  @Parameter(property = "gantry.outputDirectory", defaultValue = "${project.build.directory}/gantry/image",
      required = true)
  File outputDirectory;

  /**
   * Also push the image to the registry of {@code image}, under every tag. Needs {@code image}.
   * The OCI layout is written as well.
   */
  @Parameter(property = "gantry.push", defaultValue = "false")
  boolean push;

  @Override
  void validate() throws MojoFailureException {
    if (push && (image == null || image.isBlank())) {
      throw new MojoFailureException("gantry: push=true needs an image reference: set <image> (gantry.image),"
          + " e.g. registry.example.com/team/app");
    }
  }

  @Override
  boolean push() {
    return push;
  }

  @Override
  Output output() {
    return new Output.OciLayout(outputDirectory.toPath());
  }

  @Override
  File destination() {
    return outputDirectory;
  }
}
