package dev.gantry.builder;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.NetworkMode;
import dev.gantry.context.FileDigests;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.Json;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.oci.Platform;
import dev.gantry.parse.Dockerfiles;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.LayerPlanner;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Test helper: plans a Dockerfile over a real context with the planner's real collaborators
 * ({@link ContextInputs} over {@link Contexts}, {@link LayoutBases} for {@code oci-layout://}
 * image contexts), as {@link Builder} does, but with fixed platforms and without a registry.
 *
 * <p>Contexts are copied with normalized permissions (0755 directories, 0755 or 0644 files after
 * the source's executable bit) so keys do not depend on the checkout's umask.
 */
final class PlanFixture {
  /** The platform builds run on in these plans. */
  static final Platform BUILD_PLATFORM = Platform.parse("linux/amd64");

  private final Path work;
  private Path context;
  private final Map<String, Path> directories = new TreeMap<>();
  private final Map<String, LayoutBases.Location> layouts = new TreeMap<>();
  private final Map<String, String> buildArgs = new TreeMap<>();
  private Platform platform = BUILD_PLATFORM;
  private String target;
  private NetworkMode network = NetworkMode.DEFAULT;

  /** A fixture that keeps its copies under {@code work} (a fresh temporary directory). */
  PlanFixture(Path work) throws IOException {
    this.work = work;
    this.context = Files.createDirectories(work.resolve("context"));
  }

  /** Uses a normalized copy of {@code dir} as the main context. */
  PlanFixture context(Path dir) throws IOException {
    context = copyTree(dir, work.resolve("context"));
    return this;
  }

  /** The main context directory (to change files in it). */
  Path context() {
    return context;
  }

  /** Adds a normalized copy of {@code dir} as the named directory context {@code name}. */
  PlanFixture directory(String name, Path dir) throws IOException {
    directories.put(name, copyTree(dir, work.resolve("contexts").resolve(name)));
    return this;
  }

  /** Adds an image context {@code name}: an OCI layout holding {@code config} and no layers. */
  PlanFixture image(String name, ImageConfig config) throws IOException {
    Path dir = work.resolve("layouts").resolve(name);
    OciLayoutWriter.at(dir).write(Image.oci(config, List.of()), List.of("latest"));
    layouts.put(name, new LayoutBases.Location(dir, "latest"));
    return this;
  }

  PlanFixture buildArg(String name, String value) {
    buildArgs.put(name, value);
    return this;
  }

  PlanFixture platform(Platform p) {
    platform = p;
    return this;
  }

  PlanFixture target(String t) {
    target = t;
    return this;
  }

  PlanFixture network(String n) {
    network = NetworkMode.named(n).orElseThrow();
    return this;
  }

  /** Plans {@code dockerfile} (kept outside the context, as {@code work/Dockerfile}). */
  BuildPlan plan(String dockerfile) throws IOException {
    Path file = work.resolve("Dockerfile");
    Files.writeString(file, dockerfile, StandardCharsets.UTF_8);
    Dockerfile df = Dockerfiles.parse("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
    Contexts contexts = new Contexts(context, file, directories);
    Store store = Store.open(Files.createDirectories(work.resolve("store")));
    FileDigests digests = FileDigests.withCache(work.resolve("store").resolve("context-cache"));
    LayerPlanner.Options options = new LayerPlanner.Options(buildArgs, target, platform, BUILD_PLATFORM,
        directories.keySet(), layouts.keySet(), new LayoutBases(layouts),
        new ContextInputs(contexts, digests, new UrlSources(store)), Dockerfiles::trigger, network, null);
    return LayerPlanner.plan(df, options);
  }

  /** Every step of {@code plan}, stage by stage, keyed by {@code stage/number}. */
  static Map<String, PlannedStep> steps(BuildPlan plan) {
    Map<String, PlannedStep> out = new LinkedHashMap<>();
    for (PlannedStage s : plan.stages()) {
      for (PlannedStep p : s.steps()) {
        out.put(s.name() + "/" + p.number(), p);
      }
    }
    return out;
  }

  /** Copies {@code from} to {@code to} keeping symbolic links, with normalized permissions. */
  private static Path copyTree(Path from, Path to) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
          dirs.add(dest);
        } else {
          Files.copy(p, dest);
          Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString(
              Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    for (Path d : dirs) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return to;
  }

  /** Reads an image config from JSON (for image contexts described in test data). */
  static ImageConfig config(Path json) throws IOException {
    return Json.readConfig(Files.readAllBytes(json));
  }
}
