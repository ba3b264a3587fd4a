package dev.gantry.cli;

import dev.gantry.api.BuildException;
import dev.gantry.api.BuildListener;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.api.Output;
import dev.gantry.ast.DockerfileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry build}: builds a Dockerfile into an image, with docker buildx's flags. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Build an image from a Dockerfile and a context directory, without a daemon.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gantry build -t app:1 .                               build ./Dockerfile, keep the image in the local store",
      "  gantry build -o type=oci,dest=out/app -t app:1 .       write an OCI image layout directory",
      "  gantry build -o type=docker,dest=app.tar -t app:1 .    write a tar for 'docker load' / 'podman load'",
      "  gantry build -f build/Dockerfile --target runtime --build-arg VERSION=2 .",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:image built", "1:Dockerfile or build error", "2:usage error"})
final class BuildCommand implements Callable<Integer> {

  @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Dockerfile (default: CONTEXT/Dockerfile).")
  Path file;

  @Option(names = {"-t", "--tag"}, paramLabel = "REF", description = "Name and tag for the image (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "Set a build-time variable (repeatable); KEY alone takes it from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--build-context", paramLabel = "NAME=DIR|oci-layout://DIR[:TAG]|docker-image://REF", description = "Additional named build context (repeatable).")
  List<String> buildContexts = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (default: the last).")
  String target;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Target platform (default: this machine's).")
  String platform;

  @Option(names = {"-o", "--output"}, paramLabel = "SPEC", description = "type=oci,dest=DIR | type=oci,dest=FILE,tar=true | type=docker,dest=FILE (repeatable).")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label on the image (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--network", paramLabel = "MODE", defaultValue = "default",
      description = "Network of RUN steps without --network: default, none or host (default: ${DEFAULT-VALUE}).")
  String network;

  @Option(names = "--no-cache", description = "Do not use cached results; run every step.")
  boolean noCache;

  @Option(names = "--push", description = "Push the image to every -t reference (credentials come from the docker config).")
  boolean push;

  @Option(names = "--pull", description = "Ask registries for base images again even when the store has resolved them.")
  boolean pull;

  @Mixin
  CommonOptions common = new CommonOptions();

  @Option(names = "--source-date-epoch", paramLabel = "SECONDS", description = "Timestamp for every file and the image (default: $SOURCE_DATE_EPOCH, else 0).")
  Long sourceDateEpoch;

  @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "gzip", description = "Layer compression: gzip, zstd or none (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--secret", paramLabel = "id=ID,src=FILE|id=ID,env=VAR", description = "A secret for RUN --mount=type=secret (repeatable); never stored in the image.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--ssh", paramLabel = "ID[=SOCKET]", description = "Forward an SSH agent socket for RUN --mount=type=ssh (repeatable), e.g. default=$SSH_AUTH_SOCK.")
  List<String> ssh = new ArrayList<>();

  @Option(names = "--allow", paramLabel = "ENTITLEMENT", description = "Allow an entitlement: security.insecure (RUN --security=insecure).")
  List<String> allow = new ArrayList<>();

  @Parameters(paramLabel = "CONTEXT", description = "The build context directory.")
  Path context;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    BuildRequest.Builder req = BuildRequest.builder(context).dockerfile(file);
    for (String a : buildArgs) {
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
    keyValues(buildContexts, "--build-context").forEach(req::buildContext);
    keyValues(labels, "--label").forEach(req::label);
    tags.forEach(req::tag);
    for (String o : outputs) {
      req.output(Output.parse(o));
    }
    if (target != null) {
      req.target(target);
    }
    if (platform != null) {
      req.platform(platform);
    }
    if (common.cacheDir != null) {
      req.storeDirectory(common.cacheDir);
    }
    Long epoch = sourceDateEpoch != null ? sourceDateEpoch : envEpoch();
    if (epoch != null) {
      req.sourceDateEpoch(epoch);
    }
    req.compression(BuildRequest.Compression.valueOf(compression.toUpperCase(Locale.ROOT)));
    req.noCache(noCache);
    req.network(network);
    try {
      BuildSecrets.apply(req, secrets, ssh, allow);
    } catch (IllegalArgumentException e) {
      throw BuildSecrets.usage(new picocli.CommandLine(new BuildCommand()), e);
    }
    req.push(push);
    req.pull(pull);
    common.insecureRegistries.forEach(req::insecureRegistry);
    ProgressRenderer renderer = common.renderer(err);
    req.listener(renderer);
    try {
      BuildResult result = new Gantry().build(req.build());
      renderer.finish();
      String digest = result.manifestDigest().toString();
      common.report(digest, Metadata.json(result), out);
      if (!common.quiet) {
        err.println("image " + digest + (result.tags().isEmpty() ? "" : " " + String.join(", ", result.tags())));
        if (outputs.isEmpty()) {
          err.println("kept in the local store; export it with -o type=oci,dest=DIR or -o type=docker,dest=FILE");
        }
      }
      return 0;
    } catch (DockerfileException e) {
      renderer.finish();
      e.diagnostics().forEach(d -> err.println(d.format()));
      return 1;
    } catch (BuildException e) {
      renderer.finish();
      return common.fail(e, err);
    }
  }

  private static Long envEpoch() {
    String s = System.getenv("SOURCE_DATE_EPOCH");
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new BuildCommand()), "SOURCE_DATE_EPOCH is not a number: " + s);
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
