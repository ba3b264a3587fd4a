package dev.gantry.layer;

/** The kind of a {@link LayerEntry}: what the tar header's type flag (or whiteout name) says. */
public enum EntryType {
  /** A regular file with content. */
  FILE,
  /** A directory. */
  DIR,
  /** A symbolic link ({@code linkTarget} is its target, as written). */
  SYMLINK,
  /** A hard link to another entry of the same layer ({@code linkTarget} is that entry's path). */
  HARDLINK,
  /** A whiteout: the path is deleted from lower layers (written as {@code .wh.<name>}). */
  WHITEOUT,
  /** An opaque directory: lower layers' content below the path is hidden ({@code .wh..wh..opq}). */
  OPAQUE_WHITEOUT,
  /** A character device. */
  CHAR_DEVICE,
  /** A block device. */
  BLOCK_DEVICE,
  /** A named pipe. */
  FIFO
}
