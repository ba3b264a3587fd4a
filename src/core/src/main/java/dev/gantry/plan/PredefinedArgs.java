package dev.gantry.plan;

import dev.gantry.oci.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/** The ARGs BuildKit defines in the global scope: platform of the target and of the build, and the target stage. */
final class PredefinedArgs {
  private PredefinedArgs() {}

  static Map<String, String> of(Platform target, Platform build, String targetStage) {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "TARGET", target);
    put(m, "BUILD", build);
    m.put("TARGETSTAGE", targetStage == null ? "" : targetStage);
    return m;
  }

  private static void put(Map<String, String> m, String prefix, Platform p) {
    m.put(prefix + "PLATFORM", format(p));
    m.put(prefix + "OS", p.os());
    m.put(prefix + "ARCH", p.architecture());
    m.put(prefix + "VARIANT", p.variant() == null ? "" : p.variant());
  }

  /** {@code os/arch[/variant]}. */
  static String format(Platform p) {
    String v = p.variant() == null || p.variant().isEmpty() ? "" : "/" + p.variant();
    return p.os() + "/" + p.architecture() + v;
  }
}
