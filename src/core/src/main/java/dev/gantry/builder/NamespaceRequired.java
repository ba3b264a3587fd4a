package dev.gantry.builder;

import dev.gantry.exec.RunIsolation;
import dev.gantry.model.BuildException;

/**
 * The build has RUN steps and can run them rootless, but only once this process runs inside a
 * user namespace: thrown at plan time, before any step ran. A caller that can start the build
 * again inside one ({@link dev.gantry.exec.UserNamespace#rerunInside}) does so; others report it.
 */
public final class NamespaceRequired extends BuildException {
  private static final long serialVersionUID = 1L;
  private final transient RunIsolation isolation;

  NamespaceRequired(RunIsolation isolation) {
    super("RUN without root needs a user namespace, and this process runs outside one",
        "the gantry command enters one by itself; to build through the library, start the JVM with "
            + String.join(" ", isolation.enter().subList(0, isolation.enter().size() - 1)) + " java ...", null);
    this.isolation = isolation;
  }

  /** The rootless isolation that was chosen, with the command that enters its namespace. */
  public RunIsolation isolation() {
    return isolation;
  }
}
