package dev.gantry.api;

import dev.gantry.exec.UserNamespace;
import dev.gantry.exec.IsolationProbe;
import dev.gantry.model.BuildException;
import java.io.IOException;
import java.util.Optional;

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
   * Present when this process is a user other than root outside any user namespace and could enter
   * one: then files rootless builds left in its store may belong to its subordinate ids, which only
   * root of that namespace can delete, and a prune must run there.
   */
  public static Optional<UserNamespaceRequiredException> toDeleteRootlessFiles() {
    IsolationProbe.Facts f = IsolationProbe.facts(true);
    if (!f.canEnterUserNamespace()) {
      return Optional.empty();
    }
    return Optional.of(new UserNamespaceRequiredException("files of rootless builds are deleted in a user namespace",
        null, f.subordinate(), null));
  }

  /**
   * Runs this process's command line again in a new user and mount namespace (this user as root,
   * its subordinate ids mapped), with input and output inherited, and returns its exit status.
   */
  public int rerunInside() throws IOException {
    return UserNamespace.rerunInside(subordinate);
  }
}
