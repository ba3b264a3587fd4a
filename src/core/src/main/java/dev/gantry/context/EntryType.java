package dev.gantry.context;

/** The kind of a build-context entry, read without following symbolic links. */
public enum EntryType {
  /** A regular file. */
  FILE,
  /** A directory. */
  DIRECTORY,
  /** A symbolic link (never followed by the walker). */
  SYMLINK,
  /** Anything else: a FIFO, socket or device node. */
  OTHER
}
