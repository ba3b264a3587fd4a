package dev.gantry.builder;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.ImageConfig;
import dev.gantry.plan.PlannedStage;
import java.util.List;

/**
 * A built stage: its image config (history and diffIDs included) and its layers, base first.
 *
 * @param stage the planned stage
 * @param config the image config
 * @param layers the layer descriptors
 */
record StageResult(PlannedStage stage, ImageConfig config, List<Descriptor> layers) {
  StageResult {
    layers = List.copyOf(layers);
  }
}
