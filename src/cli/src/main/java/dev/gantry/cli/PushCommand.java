package dev.gantry.cli;

import dev.gantry.api.BuildException;
import dev.gantry.api.Gantry;
import dev.gantry.api.PushRequest;
import dev.gantry.api.PushResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gantry push}: pushes an image that is already built, as {@code docker push} does. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Push an image of the local store (by its tag) or of an OCI layout to registries, without building.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gantry push registry.example/app:1                          push the image a build tagged so",
      "  gantry push app:1 registry.example/app:1 registry.example/app:latest",
      "  gantry push oci-layout://out/app registry.example/app:1      push an OCI image layout directory",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:image pushed", "1:push error", "2:usage error"})
final class PushCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common = new CommonOptions();

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A tag in the local store, or oci-layout://DIR[:TAG].")
  String image;

  @Parameters(index = "1..*", paramLabel = "DESTINATION", description = "Registry references to push to (default: IMAGE itself).")
  List<String> destinations = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PushRequest.Builder req = PushRequest.builder(image);
    destinations.forEach(req::destination);
    common.insecureRegistries.forEach(req::insecureRegistry);
    if (common.cacheDir != null) {
      req.storeDirectory(common.cacheDir);
    }
    ProgressRenderer renderer = common.renderer(err);
    req.listener(renderer);
    try {
      PushResult r = new Gantry().push(req.build());
      renderer.finish();
      String digest = r.manifestDigest().toString();
      common.report(digest, Metadata.json(r), out);
      if (!common.quiet) {
        err.println("pushed " + digest + " to " + String.join(", ", r.destinations()));
      }
      return 0;
    } catch (BuildException e) {
      renderer.finish();
      return common.fail(e, err);
    }
  }
}
