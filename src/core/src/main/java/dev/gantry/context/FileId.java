package dev.gantry.context;

/**
 * The identity of a file on its filesystem: device and inode numbers. Two entries with the same id
 * are hard links to one file. Zero for both when the platform does not expose them.
 */
public record FileId(long device, long inode) {
  // Written out rather than generated: the generated methods bootstrap through invokedynamic on
  // first use, a cost paid at every start of a no-op build that compares thousands of ids.
  @Override
  public boolean equals(Object o) {
    return o instanceof FileId f && f.device == device && f.inode == inode;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(device) * 31 + Long.hashCode(inode);
  }
}
