package dev.gantry.api;

import dev.gantry.oracle.Tools;

/** What RUN tests need (root, runc, busybox-static): a test skips without it, and fails under {@code CI=true}. */
public final class RunPreconditions {
  private RunPreconditions() {}

  /** Skips (or, on CI, fails) the calling test when containers cannot run here. */
  public static void require() {
    Tools.requireContainers();
  }
}
