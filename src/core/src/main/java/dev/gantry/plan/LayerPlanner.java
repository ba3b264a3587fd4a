package dev.gantry.plan;

import dev.gantry.ast.ArgDefinition;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.From;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.NetworkMode;
import dev.gantry.ast.Onbuild;
import dev.gantry.ast.Stage;
import dev.gantry.expand.Env;
import dev.gantry.expand.ExpansionException;
import dev.gantry.expand.ShellLexer;
import dev.gantry.oci.ContainerConfig;
import dev.gantry.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a Dockerfile into a {@link BuildPlan}: resolves global ARGs and stage bases, prunes the
 * stages the target does not need, expands every instruction with the values visible at its line,
 * and computes every step's cache key from its parent key and inputs. Nothing is built.
 */
public final class LayerPlanner {

  /**
   * What planning needs besides the Dockerfile.
   *
   * @param buildArgs {@code --build-arg} values
   * @param target the target stage, or null for the last
   * @param targetPlatform the platform images are built for
   * @param buildPlatform the platform the build runs on
   * @param directoryContexts names of {@code --build-context}s that are directories
   * @param imageContexts names of {@code --build-context}s that hold an image
   * @param bases resolves images and image contexts
   * @param inputs digests what COPY/ADD read from directories and URLs
   * @param triggers parses an ONBUILD trigger of a base image into an instruction
   * @param defaultNetwork the network of a RUN without {@code --network} ({@code --network} of the build)
   * @param rewriteTimestamp the epoch that file times in new layers are clamped to ({@code --rewrite-timestamp}),
   *     or null to keep them; part of every key
   */
  public record Options(Map<String, String> buildArgs, String target, Platform targetPlatform,
      Platform buildPlatform, Set<String> directoryContexts, Set<String> imageContexts, BaseResolver bases,
      InputDigester inputs, Function<String, Instruction> triggers, NetworkMode defaultNetwork,
      java.time.Instant rewriteTimestamp) {
    /** Options whose RUN steps get the {@code default} network unless they say otherwise. */
    public Options(Map<String, String> buildArgs, String target, Platform targetPlatform, Platform buildPlatform,
        Set<String> directoryContexts, Set<String> imageContexts, BaseResolver bases, InputDigester inputs,
        Function<String, Instruction> triggers) {
      this(buildArgs, target, targetPlatform, buildPlatform, directoryContexts, imageContexts, bases, inputs,
          triggers, NetworkMode.DEFAULT, null);
    }

    public Options {
      Objects.requireNonNull(defaultNetwork, "defaultNetwork");
      buildArgs = Map.copyOf(buildArgs);
      Objects.requireNonNull(targetPlatform, "targetPlatform");
      Objects.requireNonNull(buildPlatform, "buildPlatform");
      directoryContexts = Set.copyOf(directoryContexts);
      imageContexts = Set.copyOf(imageContexts);
      Objects.requireNonNull(bases, "bases");
      Objects.requireNonNull(inputs, "inputs");
      Objects.requireNonNull(triggers, "triggers");
    }
  }

  private LayerPlanner() {}

  /**
   * Plans {@code df}.
   *
   * @throws DockerfileException with every positioned error found
   */
  public static BuildPlan plan(Dockerfile df, Options opt) throws IOException {
    PlanContext ctx = new PlanContext(df, opt);
    ShellLexer lexer = ShellLexer.withEscape(df.escape());
    String targetName = opt.target() != null ? opt.target()
        : df.lastStage().name().orElse("stage-" + (df.stages().size() - 1));
    Map<String, String> predefined = PredefinedArgs.of(opt.targetPlatform(), opt.buildPlatform(), targetName);
    ArgScope global = ArgScope.global(opt.buildArgs(), predefined);
    List<Diagnostic> errors = new ArrayList<>();
    for (var arg : df.globalArgs()) {
      for (ArgDefinition def : arg.args()) {
        try {
          String dflt = def.defaultValue() == null ? null
              : lexer.processWord(def.defaultValue(), Env.of(global.visibleValues())).value();
          global = global.declare(def.key(), dflt);
          ctx.consumed(def.key());
        } catch (ExpansionException e) {
          errors.add(Diagnostic.error(df.file(), arg.range(), e.getMessage()));
        }
      }
    }
    Env globalEnv = Env.of(global.visibleValues());
    List<String> images = new ArrayList<>();
    List<Platform> platforms = new ArrayList<>();
    Map<Instruction, String> fromFlags = new LinkedHashMap<>();
    for (Stage s : df.stages()) {
      From from = s.from();
      String image = "";
      Platform platform = opt.targetPlatform();
      try {
        image = lexer.processWord(from.image(), globalEnv).value();
        if (image.isEmpty()) {
          errors.add(Diagnostic.error(df.file(), from.range(), "base name (" + from.image() + ") should not be blank",
              "set the ARG it uses before the first FROM, or pass --build-arg"));
        }
        if (from.platform() != null) {
          String p = lexer.processWord(from.platform(), globalEnv).value();
          if (p.isEmpty()) {
            errors.add(Diagnostic.error(df.file(), from.range(), "empty platform value from expression " + from.platform()));
          } else {
            platform = fromPlatform(p);
          }
        }
      } catch (ExpansionException | IllegalArgumentException e) {
        errors.add(Diagnostic.error(df.file(), from.range(), e.getMessage()));
      }
      images.add(image);
      platforms.add(platform);
      fromFlags.putAll(StageGraph.fromFlags(s));
    }
    if (!errors.isEmpty()) {
      throw new DockerfileException(errors);
    }
    Set<String> contexts = new TreeSet<>(opt.directoryContexts());
    contexts.addAll(opt.imageContexts());
    StageGraph graph = StageGraph.resolve(df, images, fromFlags, contexts, opt.target());
    ctx.graph(graph);
    opt.inputs().prefetch(LiteralCopies.of(df, graph));

    Map<Integer, StageState> finalStates = new HashMap<>();
    List<PlannedStage> stages = new ArrayList<>();
    for (int index : graph.buildOrder()) {
      Stage stage = df.stages().get(index);
      PlannedStage planned = planStage(ctx, stage, graph.base(index), platforms.get(index), global, predefined,
          finalStates, errors);
      if (planned != null) {
        stages.add(planned);
        ctx.planned(planned);
      }
    }
    if (!errors.isEmpty()) {
      throw new DockerfileException(errors);
    }
    List<String> warnings = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (String k : new TreeSet<>(opt.buildArgs().keySet())) {
      if (!ctx.consumed().contains(k) && !predefined.containsKey(k) && !ArgScope.PROXY_ARGS.contains(k)) {
        unused.add(k);
      }
    }
    if (!unused.isEmpty()) {
      warnings.add("One or more build-args " + unused + " were not consumed");
    }
    return new BuildPlan(df, stages, warnings);
  }

  private static PlannedStage planStage(PlanContext ctx, Stage stage, StageRef base, Platform platform, ArgScope global,
      Map<String, String> predefined, Map<Integer, StageState> finalStates, List<Diagnostic> errors) throws IOException {
    String name = stage.name().orElse("stage-" + stage.index());
    StageState state;
    CacheKey baseKey;
    BaseImage baseImage = null;
    List<Instruction> instructions = new ArrayList<>();
    try {
      if (base instanceof StageRef.Scratch) {
        ContainerConfig cfg = ContainerConfig.EMPTY.withWorkingDir("/")
            .withEnv(List.of("PATH=" + Metadata.DEFAULT_PATH));
        state = StageState.of(cfg, "", global.enterStage(predefined));
        baseKey = CacheKey.of(Map.of("base", "scratch", "platform", platform.toString()));
      } else if (base instanceof StageRef.OfStage s) {
        PlannedStage parent = ctx.planned(s.index());
        StageState parentState = finalStates.get(s.index());
        state = parentState.inherit();
        baseKey = parent.resultKey();
        platform = parent.platform();
        for (Instruction ins : ctx.dockerfile().stages().get(s.index()).instructions()) {
          if (ins instanceof Onbuild o && o.trigger() != null) {
            instructions.add(o.trigger());
          }
        }
      } else if (base instanceof StageRef.OfContext c && ctx.options().directoryContexts().contains(c.name())) {
        throw new DockerfileException(Diagnostic.error(ctx.dockerfile().file(), stage.range(),
            "build context \"" + c.name() + "\" is a directory and cannot be a FROM base",
            "give an image instead: --build-context " + c.name() + "=oci-layout://DIR"));
      } else {
        baseImage = ctx.image(base, platform, stage.from());
        ContainerConfig cfg = baseImage.config().config();
        if (!Metadata.hasEnv(cfg.env(), "PATH")) {
          cfg = cfg.withEnv(Metadata.setEnv(cfg.env(), "PATH", Metadata.DEFAULT_PATH));
        }
        for (String trigger : cfg.onBuild()) {
          instructions.add(ctx.options().triggers().apply(trigger));
        }
        cfg = cfg.withOnBuild(List.of());
        state = StageState.of(cfg, baseImage.config().author(), global.enterStage(predefined));
        baseKey = CacheKey.of(Map.of("base", "image", "digest", baseImage.manifestDigest().toString(),
            "platform", platform.toString()));
      }
      instructions.addAll(stage.instructions());
      StagePlanner planner = new StagePlanner(ctx, name, platform, state, baseKey);
      List<PlannedStep> steps = planner.plan(instructions, stage.index());
      finalStates.put(stage.index(), planner.state);
      return new PlannedStage(stage.index(), name, base, baseImage, baseKey, planner.state.image(),
          planner.state.author, steps, platform);
    } catch (DockerfileException e) {
      errors.addAll(e.diagnostics());
      return null;
    } catch (PlanContext.FailedDependency e) {
      return null;
    }
  }

  /** The platform a {@code FROM --platform=} value names after expansion; the error names the flag. */
  private static Platform fromPlatform(String value) {
    try {
      return Platform.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("FROM --platform=" + e.getMessage(), e);
    }
  }
}
