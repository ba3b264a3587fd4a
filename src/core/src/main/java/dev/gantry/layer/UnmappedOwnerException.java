package dev.gantry.layer;

import java.io.IOException;

/**
 * A file cannot be given its owner because the id does not exist here: the process runs in a user
 * namespace that maps no such id (the kernel's {@code EINVAL} from {@code chown}), as in a rootless
 * build without enough subordinate ids.
 */
public final class UnmappedOwnerException extends IOException {
  private static final long serialVersionUID = 1L;

  UnmappedOwnerException(String name, long uid, long gid) {
    super(name + ": cannot be owned by " + uid + ":" + gid + ": this user namespace maps no such id");
  }
}
