package dev.gantry.api;

import dev.gantry.exec.UserNamespace;
import java.io.IOException;

/**
 * The build has RUN steps that can run rootless, but only inside a user namespace, and this JVM
 * runs outside one. Thrown before any step ran. {@link #rerunInside()} starts this process's
 * command line again inside one (what the {@code gantry} command does); a JVM that cannot be
 * started again (a Maven build, an application) can instead be started with the command in
 * {@link #hint()} in front.
 */
public final class UserNamespaceRequiredException extends BuildException {
  private static final long serialVersionUID = 1L;
  private final boolean subordinate;

  UserNamespaceRequiredException(String message, String hint, boolean subordinate, Throwable cause) {
    super(message, hint, cause);
    this.subordinate = subordinate;
  }

  /**
   * Runs this process's command line again in a new user and mount namespace (this user as root,
   * its subordinate ids mapped), with input and output inherited, and returns its exit status.
   */
  public int rerunInside() throws IOException {
    return UserNamespace.rerunInside(subordinate);
  }
}
