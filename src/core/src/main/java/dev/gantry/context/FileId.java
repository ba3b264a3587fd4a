package dev.gantry.context;

/**
 * The identity of a file on its filesystem: device and inode numbers. Two entries with the same id
 * are hard links to one file. Zero for both when the platform does not expose them.
 */
public record FileId(long device, long inode) {}
