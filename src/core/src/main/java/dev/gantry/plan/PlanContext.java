package dev.gantry.plan;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Instruction;
import dev.gantry.oci.Platform;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every stage planner of one build shares: the Dockerfile, the stage graph, the stages planned
 * so far, the resolvers for inputs and images, and which build args were used.
 */
final class PlanContext {
  private final Dockerfile dockerfile;
  private final LayerPlanner.Options options;
  private StageGraph graph;
  private final Map<Integer, PlannedStage> planned = new HashMap<>();
  private final Map<StageRef, BaseImage> images = new HashMap<>();
  private final Set<String> consumed = ConcurrentHashMap.newKeySet();

  PlanContext(Dockerfile dockerfile, LayerPlanner.Options options) {
    this.dockerfile = dockerfile;
    this.options = options;
  }

  Dockerfile dockerfile() {
    return dockerfile;
  }

  LayerPlanner.Options options() {
    return options;
  }

  void graph(StageGraph g) {
    this.graph = g;
  }

  void planned(PlannedStage stage) {
    planned.put(stage.index(), stage);
  }

  /**
   * The planned stage {@code index}.
   *
   * @throws FailedDependency when that stage could not be planned (its error is already reported)
   */
  PlannedStage planned(int index) {
    PlannedStage stage = planned.get(index);
    if (stage == null) {
      throw new FailedDependency();
    }
    return stage;
  }

  void consumed(String arg) {
    consumed.add(arg);
  }

  Set<String> consumed() {
    return consumed;
  }

  /** A positioned error at {@code ins}. */
  DockerfileException error(Instruction ins, String message, String hint) {
    return new DockerfileException(Diagnostic.error(dockerfile.file(), ins.range(), message, hint));
  }

  /** Where {@code ins}'s {@code --from} points, or null for the build context. */
  StageRef source(int stage, Instruction ins) {
    return graph.source(stage, ins).orElse(null);
  }

  /** Resolves an image or image context once per build. */
  BaseImage image(StageRef ref, Platform platform, Instruction at) {
    BaseImage img = images.get(ref);
    if (img != null) {
      return img;
    }
    try {
      img = options.bases().resolve(ref, platform);
    } catch (BaseResolver.UnresolvableBaseException e) {
      throw new DockerfileException(Diagnostic.error(dockerfile.file(), at.range(), e.getMessage(), e.hint()));
    } catch (IOException e) {
      throw new DockerfileException(Diagnostic.error(dockerfile.file(), at.range(),
          "cannot read base image: " + e.getMessage()));
    }
    images.put(ref, img);
    return img;
  }

  /** The inputs of a COPY/ADD as they enter its cache key. */
  Object inputs(CopySpec spec, Instruction ins) {
    StageRef from = spec.from();
    if (from instanceof StageRef.OfStage s) {
      return Map.of("stage", planned(s.index()).resultKey().digest().toString());
    }
    if (from instanceof StageRef.OfImage || (from instanceof StageRef.OfContext c
        && !options.directoryContexts().contains(c.name()))) {
      BaseImage img = image(from, options.targetPlatform(), ins);
      return Map.of("image", img.manifestDigest().toString());
    }
    try {
      Object described = options.inputs().describe(spec);
      Map<String, Object> m = new TreeMap<>();
      m.put("files", described == null ? List.of() : described);
      return m;
    } catch (InputDigester.MissingSourceException e) {
      throw error(ins, e.getMessage(), e.hint());
    } catch (InputDigester.UnusableSourceException e) {
      throw error(ins, e.getMessage(), e.hint());
    } catch (IOException e) {
      throw error(ins, "cannot read the build context: " + e.getMessage(), null);
    }
  }

  /**
   * Thrown where a stage needs another stage that failed to plan: the stage is skipped without an
   * error of its own, since the failed stage's error says what is wrong.
   */
  static final class FailedDependency extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FailedDependency() {
      super("a stage this one needs could not be planned", null, false, false);
    }
  }
}
