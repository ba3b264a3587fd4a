package dev.gantry.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts a (possibly compressed) tar into a directory, safely against hostile archives.
 *
 * <p>Rules: every path is resolved component by component inside the root through open directory
 * handles ({@link RootedDirs}); a symlink met on the way is followed as if the root were {@code /}
 * (absolute targets and {@code ..} never leave the root), and the last component is never followed
 * (an existing symlink there is replaced, not written through). Entry names that climb above the
 * root with {@code ..} are refused with an {@link UnsafeArchiveException} naming the entry; absolute
 * names are refused too unless {@link #confineAbsoluteNames(boolean)} is set, which treats them as
 * relative to the root. Hard links must name an entry inside the root (same rules) that is not a
 * directory. Names keep their bytes (a name that is not UTF-8 is written as it is). Devices and
 * FIFOs are skipped unless allowed, and never opened: their metadata is set by calls that take a
 * name. Directory metadata is applied last (so read-only directories can still be filled) through
 * a path opened again without following any symlink; a directory that is no longer one there is
 * skipped. Whiteouts follow {@link Whiteouts}. This class is immutable and thread-safe.
 */
public final class SafeExtractor {
  /** What to do with whiteout entries ({@code .wh.NAME}, {@code .wh..wh..opq}). */
  public enum Whiteouts {
    /** Write them as the empty files they are. */
    KEEP,
    /** Delete what they name from the root (which holds the lower layers). */
    APPLY,
    /**
     * Overlayfs form for a directory holding this layer alone: {@code .wh.NAME} becomes a 0/0
     * character device {@code NAME}, {@code .wh..wh..opq} the {@code user.overlay.opaque=y} xattr
     * of its directory. A whited-out name that the same layer also writes keeps this layer's entry
     * (a directory becomes opaque), as the OCI image spec says.
     */
    OVERLAY
  }

  /** The xattr marking an overlay opaque directory (mounted with {@code userxattr}). */
  public static final String OPAQUE_XATTR = "user.overlay.opaque";

  final boolean confineAbsolute;
  final boolean allowDevices;
  final Whiteouts whiteouts;
  final boolean preserveOwners;

  private SafeExtractor(boolean confineAbsolute, boolean allowDevices, Whiteouts whiteouts,
      boolean preserveOwners) {
    this.confineAbsolute = confineAbsolute;
    this.allowDevices = allowDevices;
    this.whiteouts = whiteouts;
    this.preserveOwners = preserveOwners;
  }

  /** What an extraction did: how many entries were written and which were skipped. */
  public record Result(int written, List<String> skipped) {
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  /** An extractor that refuses absolute names, skips devices and keeps whiteouts as files. */
  public static SafeExtractor create() {
    return new SafeExtractor(false, false, Whiteouts.KEEP, false);
  }

  /** A copy that treats absolute names as relative to the root instead of refusing them. */
  public SafeExtractor confineAbsoluteNames(boolean on) {
    return new SafeExtractor(on, allowDevices, whiteouts, preserveOwners);
  }

  /** A copy that creates device and FIFO entries (needs privileges) instead of skipping them. */
  public SafeExtractor allowDevices(boolean on) {
    return new SafeExtractor(confineAbsolute, on, whiteouts, preserveOwners);
  }

  /** A copy that applies whiteouts (deletes what they name) instead of writing them as files. */
  public SafeExtractor applyWhiteouts(boolean on) {
    return whiteouts(on ? Whiteouts.APPLY : Whiteouts.KEEP);
  }

  /** A copy that treats whiteouts as {@code mode} says. */
  public SafeExtractor whiteouts(Whiteouts mode) {
    return new SafeExtractor(confineAbsolute, allowDevices, mode, preserveOwners);
  }

  /** A copy that sets owners and {@code user.*} extended attributes from the archive (needs privileges). */
  public SafeExtractor preserveOwners(boolean on) {
    return new SafeExtractor(confineAbsolute, allowDevices, whiteouts, on);
  }

  /** Extracts {@code archive} (tar, or tar compressed any way {@link Archives} knows) into root. */
  public Result extract(InputStream archive, Path root) throws IOException {
    Files.createDirectories(root);
    try (ByteNameTarInput tar = new ByteNameTarInput(Archives.open(archive));
        Extraction run = new Extraction(this, DirHandle.open(root.toRealPath()))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        run.entry(tar, e, tar.name(e), tar.linkName(e));
      }
      run.finish();
      return new Result(run.written(), run.skipped());
    }
  }

  /**
   * Deletes {@code p} and everything under it, never following symlinks, at any depth (absent is
   * fine); read-only directories are made writable first.
   */
  public static void deleteTree(Path p) throws IOException {
    Path parent = p.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    try (DirHandle d = DirHandle.open(parent)) {
      d.deleteTree(ByteNameTarInput.bytesOf(p.getFileName().toString()));
    }
  }
}
