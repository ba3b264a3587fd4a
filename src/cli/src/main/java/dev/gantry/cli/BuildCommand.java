package dev.gantry.cli;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.api.Isolation;
import dev.gantry.api.StoreLimits;
import dev.gantry.api.UserNamespaceRequiredException;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.oci.Compression;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code gantry build}: builds a Dockerfile into an image, with docker buildx's flags. */
final class BuildCommand {
  static final Args.Spec SPEC = new Args.Spec("build",
      List.of("Build an image from a Dockerfile and a context directory, without a daemon."),
      CommonOptions.with(List.of(
          Args.Option.value("-f,--file", "PATH", "Dockerfile (default: CONTEXT/Dockerfile)."),
          Args.Option.values("-t,--tag", "REF", "Name and tag for the image (repeatable)."),
          Args.Option.values("--build-arg", "KEY[=VALUE]", "Set a build-time variable (repeatable); KEY alone takes it from the environment."),
          Args.Option.values("--build-context", "NAME=DIR|oci-layout://DIR[:TAG]|docker-image://REF", "Additional named build context (repeatable)."),
          Args.Option.value("--target", "STAGE", "Build this stage (default: the last)."),
          Args.Option.value("--platform", "OS/ARCH[/VARIANT]", "Target platform (default: this machine's)."),
          Args.Option.values("-o,--output", "SPEC", "type=oci,dest=DIR | type=oci,dest=FILE,tar=true | type=docker,dest=FILE | type=registry[,name=REF] (repeatable)."),
          Args.Option.values("--label", "KEY=VALUE", "Set a label on the image (repeatable)."),
          Args.Option.value("--network", "MODE", "Network of RUN steps without --network: default, none or host (default: default)."),
          Args.Option.value("--isolation", "MODE", "How RUN commands run: auto, root, rootless or chroot (default: $GANTRY_ISOLATION, else auto; see docs/rootless.md)."),
          Args.Option.flag("--no-cache", "Do not use cached results; run every step."),
          Args.Option.flag("--push", "Push the image to every -t reference (credentials come from the docker config)."),
          Args.Option.values("--cache-from", "type=registry,ref=REF|type=local,src=DIR", "Reuse the step results of a cache another build exported (repeatable); layers are downloaded only when a step needs their files."),
          Args.Option.values("--cache-to", "type=registry,ref=REF|type=local,dest=DIR[,mode=min|max]", "Export the step results after the build: mode=min (default) those of the result image, max those of every stage (repeatable)."),
          Args.Option.flag("--pull", "Ask registries for base images again even when the store has resolved them."),
          Args.Option.value("--source-date-epoch", "SECONDS", "Time of the image, its history and the files copied from contexts (default: $SOURCE_DATE_EPOCH, else 0)."),
          Args.Option.flag("--rewrite-timestamp", "Clamp the time of every file written into a new layer to the epoch (RUN output, archives, COPY --from)."),
          Args.Option.value("--compression", "ALGO", "Layer compression: gzip, zstd or none (default: gzip)."),
          Args.Option.value("--store-max", "SIZE", "Bound the local store after the build, e.g. 10GiB, or off (default: $GANTRY_STORE_MAX, else 10% of its file system within 1-20 GiB)."),
          Args.Option.values("--secret", "id=ID,src=FILE|id=ID,env=VAR", "A secret for RUN --mount=type=secret (repeatable); never stored in the image."),
          Args.Option.values("--ssh", "ID[=SOCKET]", "Forward an SSH agent socket for RUN --mount=type=ssh (repeatable), e.g. default=$SSH_AUTH_SOCK."),
          Args.Option.values("--allow", "ENTITLEMENT", "Allow an entitlement: security.insecure (RUN --security=insecure)."))),
      List.of(new Args.Parameter("CONTEXT", "The build context directory.", 1, 1)),
      List.of(
          "gantry build -t app:1 .                               build ./Dockerfile, keep the image in the local store",
          "gantry build -o type=oci,dest=out/app -t app:1 .       write an OCI image layout directory",
          "gantry build -o type=docker,dest=app.tar -t app:1 .    write a tar for 'docker load' / 'podman load'",
          "gantry build -f build/Dockerfile --target runtime --build-arg VERSION=2 .",
          "gantry build --cache-from reg.example/app:cache --cache-to type=registry,ref=reg.example/app:cache,mode=max ."),
      List.of("0   image built", "1   Dockerfile or build error", "2   usage error"));

  private final Args args;
  private final CommonOptions common;

  BuildCommand(Args args) {
    this.args = args;
    this.common = new CommonOptions(args);
  }

  /** Builds; returns the exit code. */
  int call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Path context = Path.of(args.parameter("CONTEXT"));
    BuildRequest.Builder req = BuildRequest.builder(context).dockerfile(CommonOptions.path(args.value("--file", null)));
    for (String a : args.values("--build-arg")) {
      int eq = a.indexOf('=');
      if (eq < 0) {
        String v = System.getenv(a);
        if (v != null) {
          req.buildArg(a, v);
        }
      } else {
        req.buildArg(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    keyValues(args.values("--build-context"), "--build-context").forEach(req::buildContext);
    keyValues(args.values("--label"), "--label").forEach(req::label);
    args.values("--tag").forEach(req::tag);
    List<Output> outputs = new ArrayList<>();
    for (String o : args.values("--output")) {
      outputs.add(Output.parse(o));
    }
    outputs.forEach(req::output);
    String target = args.value("--target", null);
    if (target != null) {
      req.target(target);
    }
    String platform = args.value("--platform", null);
    if (platform != null) {
      try {
        req.platform(platform);
      } catch (IllegalArgumentException e) {
        throw new Args.UsageException(e.getMessage());
      }
    }
    if (common.cacheDir != null) {
      req.storeDirectory(common.cacheDir);
    }
    Long epoch = epoch(args.value("--source-date-epoch", null), "--source-date-epoch");
    if (epoch == null) {
      epoch = epoch(System.getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH");
    }
    if (epoch != null) {
      req.sourceDateEpoch(epoch);
    }
    String compression = args.value("--compression", "gzip");
    try {
      req.compression(Compression.parse(compression));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException("--" + e.getMessage());
    }
    String storeMax = args.value("--store-max", null);
    if (storeMax != null) {
      req.storeMax(StoreLimits.parseBound(storeMax));
    }
    req.noCache(args.flag("--no-cache"));
    req.rewriteTimestamp(args.flag("--rewrite-timestamp"));
    req.network(args.value("--network", "default"));
    String isolation = args.value("--isolation", System.getenv().getOrDefault("GANTRY_ISOLATION", "auto"));
    try {
      req.isolation(Isolation.parse(isolation));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    try {
      BuildSecrets.apply(req, args.values("--secret"), args.values("--ssh"), args.values("--allow"));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    try {
      args.values("--cache-from").forEach(v -> req.cacheFrom(CacheLocation.parse(v)));
      args.values("--cache-to").forEach(v -> req.cacheTo(CacheExport.parse(v)));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    req.push(args.flag("--push"));
    req.pull(args.flag("--pull"));
    common.insecureRegistries.forEach(req::insecureRegistry);
    ProgressRenderer renderer = common.renderer(err);
    req.listener(renderer);
    try {
      BuildResult result = new Gantry().build(req.build());
      renderer.finish();
      String digest = result.manifestDigest().toString();
      common.report(digest, Metadata.json(result), out);
      if (!common.quiet) {
        err.println(FinalLine.of(digest, result.tags(), outputs, args.flag("--push")));
      }
      return 0;
    } catch (DockerfileException e) {
      renderer.finish();
      e.diagnostics().forEach(d -> err.println(d.format()));
      return 1;
    } catch (UserNamespaceRequiredException e) {
      renderer.finish();
      return e.rerunInside();
    } catch (BuildException e) {
      renderer.finish();
      return common.fail(e, err);
    }
  }

  /** {@code s} as whole seconds, or null when unset; a usage error when not a number. */
  private static Long epoch(String s, String what) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new Args.UsageException(what + " is not a number: " + s);
    }
  }

  private static Map<String, String> keyValues(List<String> values, String flag) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(flag + " needs KEY=VALUE, got '" + v + "'");
      }
      map.put(v.substring(0, eq), v.substring(eq + 1));
    }
    return map;
  }
}
