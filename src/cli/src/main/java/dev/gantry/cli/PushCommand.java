package dev.gantry.cli;

import dev.gantry.api.Gantry;
import dev.gantry.model.BuildException;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** {@code gantry push}: pushes an image that is already built, as {@code docker push} does. */
final class PushCommand {
  static final Args.Spec SPEC = new Args.Spec("push",
      List.of("Push an image of the local store (by its tag) or of an OCI layout to registries, without building."),
      CommonOptions.OPTIONS,
      List.of(new Args.Parameter("IMAGE", "A tag in the local store, or oci-layout://DIR[:TAG].", 1, 1),
          new Args.Parameter("DESTINATION", "Registry references to push to (default: IMAGE itself).", 0, -1)),
      List.of(
          "gantry push registry.example/app:1                          push the image a build tagged so",
          "gantry push app:1 registry.example/app:1 registry.example/app:latest",
          "gantry push oci-layout://out/app registry.example/app:1      push an OCI image layout directory"),
      List.of("0   image pushed", "1   push error", "2   usage error"));

  private final Args args;
  private final CommonOptions common;

  PushCommand(Args args) {
    this.args = args;
    this.common = new CommonOptions(args);
  }

  /** Pushes; returns the exit code. */
  int call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PushRequest.Builder req = PushRequest.builder(args.parameter("IMAGE"));
    args.parameters("DESTINATION").forEach(req::destination);
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
