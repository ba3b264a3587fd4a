package dev.gantry.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code PruneMain STORE}: prunes everything no tag needs from a store in a separate JVM, entering
 * a user namespace first when files of rootless builds may need it, as {@code gantry prune} does.
 * Prints {@code pruned DIRECTORIES} at the end.
 */
public final class PruneMain {
  private PruneMain() {}

  public static void main(String[] args) throws Exception {
    Optional<UserNamespaceRequiredException> userns = UserNamespaceRequiredException.toDeleteRootlessFiles();
    if (userns.isPresent()) {
      System.exit(userns.get().rerunInside());
    }
    PruneResult r = new Gantry().prune(PruneRequest.builder().storeDirectory(Path.of(args[0])).all(true).build());
    System.out.println("pruned " + r.directories());
  }
}
