package dev.gantry.context;

import java.util.Objects;

/**
 * One entry of a build context as the walker saw it, without following symbolic links.
 *
 * @param path slash-separated path relative to the context root ({@code "."} for the root itself)
 * @param type what the entry is
 * @param mode permission and special bits ({@code 07777})
 * @param size size in bytes for files, 0 otherwise
 * @param linkTarget the target of a symbolic link as stored, empty otherwise
 * @param mtimeNanos modification time in nanoseconds since the epoch
 * @param ctimeNanos status-change time in nanoseconds since the epoch (the mtime when unknown)
 * @param fileId device and inode, for hard-link detection and the stat cache
 * @param linkCount number of hard links to the file
 * @param hardlinkOf for a file whose inode was already listed under an earlier path, that path
 *     (the first one in walk order); empty otherwise
 */
public record ContextEntry(String path, EntryType type, int mode, long size, String linkTarget,
    long mtimeNanos, long ctimeNanos, FileId fileId, int linkCount, String hardlinkOf) {

  /** Checks that no field is null. */
  public ContextEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkTarget, "linkTarget");
    Objects.requireNonNull(fileId, "fileId");
    Objects.requireNonNull(hardlinkOf, "hardlinkOf");
  }

  /** Whether this entry is a directory. */
  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }

  /** Whether this entry is a symbolic link. */
  public boolean isSymlink() {
    return type == EntryType.SYMLINK;
  }

  /** Whether this entry is a regular file that repeats an inode listed earlier. */
  public boolean isHardlink() {
    return !hardlinkOf.isEmpty();
  }

  /** The same entry marked as a hard link to {@code first}. */
  ContextEntry withHardlinkOf(String first) {
    return new ContextEntry(path, type, mode, size, linkTarget, mtimeNanos, ctimeNanos, fileId,
        linkCount, first);
  }
}
