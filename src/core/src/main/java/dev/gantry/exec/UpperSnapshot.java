package dev.gantry.exec;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A RUN's upper directory after the command, unmounted: the layer entries it holds and what overlayfs
 * left in it that the layer does not hold (sockets, {@code user.overlay.*} xattrs). Its whiteouts
 * and opaque directories already are in the form of an unpacked layer, so once its layer is written,
 * {@link #toLower} can make it hold exactly what extracting that layer would give, and it can become
 * the chain's directory in {@link RootfsCache} by a rename instead of an extraction.
 */
public final class UpperSnapshot {
  private final Path upper;
  private final List<LayerEntry> entries;
  private final UpperDiff.Residue residue;
  private volatile Path location;

  private UpperSnapshot(Path upper, UpperDiff.Residue residue, List<LayerEntry> scanned) {
    this.upper = upper;
    this.location = upper;
    this.residue = residue;
    List<LayerEntry> out = new ArrayList<>(scanned.size());
    for (LayerEntry e : scanned) {
      String rel = e.path();
      out.add(e.type() == EntryType.FILE ? e.withContent(() -> Files.newInputStream(location.resolve(rel))) : e);
    }
    this.entries = List.copyOf(out);
  }

  /** Scans an upper directory no overlay uses any more. */
  static UpperSnapshot scan(Path upper, List<Path> lowers) throws IOException {
    UpperDiff.Residue residue = UpperDiff.Residue.empty();
    List<LayerEntry> entries = UpperDiff.entries(upper, lowers, rel -> true, residue);
    UpperDiff.xattrs(upper, "", residue);
    return new UpperSnapshot(upper, residue, entries);
  }

  /** Where the directory is now. */
  Path directory() {
    return location;
  }

  /** Notes that the directory was renamed to {@code to}. */
  void moved(Path to) {
    location = to;
  }

  /**
   * The layer entries of the changes, in layer order; file contents are read from the directory,
   * wherever it was renamed to.
   */
  public List<LayerEntry> entries() {
    return entries;
  }

  /**
   * Makes the directory hold exactly what extracting the layer written from {@code written} gives:
   * drops what the layer leaves out, gives the root directory the mode, owner and xattrs of an
   * extracted root, and sets modification times to the layer's ({@code layerTime} maps an entry's
   * time to the one the layer holds). Returns false, changing nothing, when the directory cannot
   * match the layer: {@code written} differs from {@link #entries()} in more than times, or a path
   * carries an xattr outside the {@code user.} namespace (the layer holds none).
   */
  boolean toLower(List<LayerEntry> written, UnaryOperator<Instant> layerTime) throws IOException {
    if (!sameButTimes(written) || !residue.foreignXattrs().isEmpty()) {
      return false;
    }
    for (String rel : residue.unlisted()) {
      Files.deleteIfExists(upper.resolve(rel));
    }
    for (Map.Entry<String, List<String>> x : residue.overlayXattrs().entrySet()) {
      UserDefinedFileAttributeView view = xattrView(upper.resolve(x.getKey()));
      for (String name : x.getValue()) {
        view.delete(name);
      }
    }
    UserDefinedFileAttributeView root = xattrView(upper);
    for (String name : root.list()) {
      root.delete(name);
    }
    Files.setAttribute(upper, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(upper, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(upper, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
    setTimes(written, layerTime);
    return true;
  }

  private boolean sameButTimes(List<LayerEntry> written) {
    if (written.size() != entries.size()) {
      return false;
    }
    for (int i = 0; i < written.size(); i++) {
      if (!written.get(i).withMtime(Instant.EPOCH).equals(entries.get(i).withMtime(Instant.EPOCH))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Modification times as the layer holds them, set with {@code utimensat} through the parent
   * directory (nothing opened, so FIFOs and devices are safe). Symlinks, hard links and whiteouts
   * keep theirs, as extraction does not set them either.
   */
  private void setTimes(List<LayerEntry> written, UnaryOperator<Instant> layerTime) throws IOException {
    Map<String, Instant> times = new LinkedHashMap<>();
    for (LayerEntry e : written) {
      switch (e.type()) {
        case FILE, DIR, FIFO, CHAR_DEVICE, BLOCK_DEVICE -> times.put(e.path(), layerTime.apply(e.mtime()));
        default -> {
        }
      }
    }
    SpecialFiles.setModificationTimes(upper, times);
  }

  private static UserDefinedFileAttributeView xattrView(Path p) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }
}
