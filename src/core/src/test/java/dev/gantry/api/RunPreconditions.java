package dev.gantry.api;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.exec.Runc;
import dev.gantry.oracle.BusyboxRootfs;

/** What RUN tests need (root, runc, busybox-static): a test skips without it, and fails under {@code CI=true}. */
public final class RunPreconditions {
  private RunPreconditions() {}

  /** Skips (or, on CI, fails) the calling test when containers cannot run here. */
  public static void require() {
    String missing = Runc.unavailable().map(m -> "cannot run containers here: " + m)
        .orElse(BusyboxRootfs.available() ? null : "busybox-static is not installed");
    if (missing != null && "true".equals(System.getenv("CI"))) {
      fail(missing);
    }
    assumeTrue(missing == null, missing);
  }
}
