package dev.gantry.maven;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.Isolation;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.api.StoreLimits;
import dev.gantry.ast.DockerfileException;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters every Gantry goal shares, and the build itself: parameters become a
 * {@link BuildRequest}, build events go to the Maven log, and Dockerfile or build errors fail the
 * Maven build with their position and a hint. Subclasses say where the image goes.
 */
abstract class AbstractGantryMojo extends AbstractMojo {

  /** The Dockerfile to build. */
  @Parameter(property = "gantry.dockerfile", defaultValue = "${project.basedir}/Dockerfile", required = true)
  File dockerfile;

  /**
   * The build context: the directory whose files {@code COPY} and {@code ADD} read. Files are
   * filtered by {@code DOCKERFILE.dockerignore} (e.g. {@code Dockerfile.dockerignore}) when it exists,
   * else by {@code .dockerignore} at the root of this directory.
   */
  @Parameter(property = "gantry.contextDirectory", defaultValue = "${project.basedir}", required = true)
  File contextDirectory;

  /**
   * The image reference to tag the result with, such as {@code registry.example.com/team/app:1.0}.
   * In an OCI layout the tag part ({@code 1.0}) becomes the {@code org.opencontainers.image.ref.name}
   * annotation; a reference without a tag means {@code latest}. Optional: without it the image is
   * untagged and found by its digest.
   */
  @Parameter(property = "gantry.image")
  String image;

  /**
   * More tags for the image. A bare tag such as {@code latest} applies to the repository of
   * {@code image}; an entry containing {@code /} or {@code :} is a full reference of its own. On the
   * command line: {@code -Dgantry.tags=latest,1.0}.
   */
  @Parameter(property = "gantry.tags")
  List<String> tags;

  /**
   * Build-time variables, as {@code docker build --build-arg NAME=VALUE}: they set the values of the
   * Dockerfile's {@code ARG} instructions. In the POM each child element is one variable: its element
   * name is the variable's name, its text the value. On the command line:
   * {@code -Dgantry.buildArgs=NAME=VALUE,NAME2=VALUE2} (these win over the POM's).
   */
  @Parameter
  Map<String, String> buildArgs;

  /**
   * Named extra build contexts, as {@code docker buildx build --build-context NAME=VALUE}: a directory,
   * or {@code oci-layout://DIR[:TAG]} for an OCI image layout that {@code FROM NAME} and
   * {@code COPY --from=NAME} can use as an image. On the command line:
   * {@code -Dgantry.buildContexts=NAME=VALUE,NAME2=VALUE2} (these win over the POM's).
   */
  @Parameter
  Map<String, String> buildContexts;

  /** The stage to build (a {@code FROM ... AS name}); default: the last stage of the Dockerfile. */
  @Parameter(property = "gantry.target")
  String target;

  /** The platform to build for, such as {@code linux/amd64} or {@code linux/arm64/v8}; default: this machine's. */
  @Parameter(property = "gantry.platform")
  String platform;

  /**
   * Labels added to the image config, as {@code docker build --label KEY=VALUE}; they override
   * {@code LABEL}s of the Dockerfile with the same key. On the command line:
   * {@code -Dgantry.labels=KEY=VALUE,KEY2=VALUE2} (these win over the POM's).
   */
  @Parameter
  Map<String, String> labels;

  /** Ignore cached step results and run every step again (results are still stored). */
  @Parameter(property = "gantry.noCache", defaultValue = "false")
  boolean noCache;

  /**
   * The local store holding layers, cached step results and base images. Default: the directory in
   * the {@code GANTRY_HOME} environment variable, else {@code ~/.cache/gantry}. Safe to share between
   * builds that run at the same time.
   */
  @Parameter(property = "gantry.cacheDirectory")
  File cacheDirectory;

  /**
   * The size the local store is kept within after the build, such as {@code 10GiB} (least recently
   * used cache goes first; tagged images stay), or {@code off}. Default: the {@code GANTRY_STORE_MAX}
   * environment variable, else 10% of the store's file system, at least 1 GiB and at most 20 GiB.
   */
  @Parameter(property = "gantry.storeMax")
  String storeMax;

  /**
   * Reach the registries of the image's tags and of {@code cacheFrom}/{@code cacheTo} over plain
   * HTTP (loopback registries always are).
   */
  @Parameter(property = "gantry.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  /**
   * The timestamp of the image (its {@code created} time and history) and of the files copied from
   * the build context (and, with {@code rewriteTimestamp}, the latest time of any file in a new layer), in seconds since 1970 or as an ISO-8601 date-time with offset such as
   * {@code 2024-01-01T00:00:00Z}. Defaults to {@code project.build.outputTimestamp}, so a Maven
   * build configured for reproducible jars also gives a reproducible image. When neither is set,
   * the {@code SOURCE_DATE_EPOCH} environment variable is used, else 0 (1970-01-01).
   */
  @Parameter(property = "gantry.sourceDateEpoch", defaultValue = "${project.build.outputTimestamp}")
  String sourceDateEpoch;

  /**
   * Clamp the time of every file written into a new layer to {@code sourceDateEpoch}, as BuildKit's
   * {@code rewrite-timestamp=true}: files made by RUN, unpacked from archives or copied from other
   * stages and images otherwise keep their own times.
   */
  @Parameter(property = "gantry.rewriteTimestamp", defaultValue = "false")
  boolean rewriteTimestamp;

  /**
   * How RUN commands run: {@code auto}, {@code root}, {@code rootless} or {@code chroot} (see
   * docs/rootless.md). Rootless RUN needs the Maven JVM to run inside a user namespace; the build
   * fails before any work with the command that starts it so.
   */
  @Parameter(property = "gantry.isolation", defaultValue = "auto")
  String isolation;

  /**
   * Caches whose step results the build may reuse, as {@code docker buildx build --cache-from}:
   * {@code type=registry,ref=REF} or {@code type=local,src=DIR}, several separated by {@code ;} or
   * line breaks. A hit downloads no layer until a step needs its files. Whoever can write a cache
   * controls what builds that read it reuse. On the command line: {@code -Dgantry.cacheFrom=SPEC}.
   */
  @Parameter(property = "gantry.cacheFrom")
  String cacheFrom;

  /**
   * Where the build exports its step results once it succeeded, as {@code docker buildx build
   * --cache-to}: {@code type=registry,ref=REF[,mode=min|max]} or {@code type=local,dest=DIR[,mode=min|max]}
   * ({@code mode=min}, the default, exports the result image's steps; {@code max} those of every
   * stage), several separated by {@code ;} or line breaks. A failed export is a warning. On the
   * command line: {@code -Dgantry.cacheTo=SPEC}.
   */
  @Parameter(property = "gantry.cacheTo")
  String cacheTo;

  /** Skip the goal: nothing is built or written. */
  @Parameter(property = "gantry.skip", defaultValue = "false")
  boolean skip;

  /** Maven's settings: {@code <server>} entries give registry credentials, by registry host. */
  @Parameter(defaultValue = "${settings}", readonly = true)
  org.apache.maven.settings.Settings settings;

  /** Maven's user properties ({@code -D...}), for the command-line form of the map parameters. */
  @Parameter(defaultValue = "${session.userProperties}", readonly = true)
  Properties userProperties;

  /** The output the image is written to. */
  abstract Output output();

  /** Human-readable destination, for the summary line. */
  abstract File destination();

  /** Checks goal-specific parameters before anything is built. */
  void validate() throws MojoFailureException {}

  /** Whether the goal pushes the image to its tags. */
  boolean push() {
    return false;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("gantry: skipped (gantry.skip=true)");
      return;
    }
    validate();
    BuildRequest request = request();
    BuildResult result;
    try {
      result = new Gantry().build(request);
    } catch (DockerfileException e) {
      throw new MojoFailureException(e.format(), e);
    } catch (BuildException e) {
      throw new MojoFailureException(e.hint() == null ? e.getMessage()
          : e.getMessage() + System.lineSeparator() + "  hint: " + e.hint(), e);
    } catch (RuntimeException e) {
      throw new MojoExecutionException("gantry build failed: " + e, e);
    }
    getLog().info("image " + result.manifestDigest()
        + (result.tags().isEmpty() ? "" : " (" + String.join(", ", result.tags()) + ")")
        + " written to " + destination());
    getLog().info(result.steps().size() + " steps, " + result.cachedSteps() + " cached, "
        + MavenLogListener.seconds(result.elapsed()));
  }

  /** The cache specifications of a {@code cacheFrom} or {@code cacheTo} value (separated by ; or line breaks). */
  static List<String> specs(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split("[;\\r\\n]+")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static void addRegistryRef(CacheLocation cache, List<String> refs) {
    if (cache instanceof CacheLocation.Registry r) {
      refs.add(r.reference());
    }
  }

  /** The request these parameters describe. */
  BuildRequest request() throws MojoFailureException {
    BuildRequest.Builder b = BuildRequest.builder(contextDirectory.toPath())
        .dockerfile(dockerfile.toPath())
        .noCache(noCache)
        .rewriteTimestamp(rewriteTimestamp)
        .output(output())
        .listener(new MavenLogListener(getLog()));
    // the references whose registries allowInsecureRegistries makes plain HTTP: tags and registry caches
    List<String> registryRefs = new ArrayList<>();
    try {
      List<String> refs = ImageNames.references(image, tags);
      refs.forEach(b::tag);
      registryRefs.addAll(refs);
      Long epoch = SourceDateEpoch.parse(sourceDateEpoch);
      if (epoch == null) {
        epoch = SourceDateEpoch.parse(System.getenv("SOURCE_DATE_EPOCH"));
      }
      if (epoch != null) {
        b.sourceDateEpoch(epoch);
      }
      KeyValues.merge(buildArgs, userProperties, "gantry.buildArgs").forEach(b::buildArg);
      KeyValues.merge(buildContexts, userProperties, "gantry.buildContexts").forEach(b::buildContext);
      KeyValues.merge(labels, userProperties, "gantry.labels").forEach(b::label);
      b.isolation(Isolation.parse(isolation == null ? "auto" : isolation.trim()));
      for (String spec : specs(cacheFrom)) {
        CacheLocation from = CacheLocation.parse(spec);
        b.cacheFrom(from);
        addRegistryRef(from, registryRefs);
      }
      for (String spec : specs(cacheTo)) {
        CacheExport export = CacheExport.parse(spec);
        b.cacheTo(export);
        addRegistryRef(export.location(), registryRefs);
      }
      if (storeMax != null && !storeMax.isBlank()) {
        b.storeMax(StoreLimits.parseBound(storeMax));
      }
      if (platform != null && !platform.isBlank()) {
        b.platform(platform.trim());
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    if (target != null && !target.isBlank()) {
      b.target(target.trim());
    }
    if (cacheDirectory != null) {
      b.storeDirectory(cacheDirectory.toPath());
    }
    b.push(push());
    if (allowInsecureRegistries) {
      registryRefs.forEach(ref -> b.insecureRegistry(ImageNames.registry(ref)));
    }
    if (settings != null) {
      for (org.apache.maven.settings.Server server : settings.getServers()) {
        if (server.getId() != null && server.getUsername() != null && server.getPassword() != null) {
          b.registryCredentials(server.getId(), server.getUsername(), server.getPassword());
        }
      }
    }
    return b.build();
  }
}
