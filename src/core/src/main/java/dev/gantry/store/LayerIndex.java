package dev.gantry.store;

import dev.gantry.layer.ArchiveEntries;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one layer holds, without its file bytes: every entry (path, type, mode, owner, mtime, size,
 * link target, device numbers, xattrs) in the order a reader of the layer's tar sees them, with
 * {@code .wh.} names turned into whiteout and opaque entries, plus the bytes of the few small files
 * a build reads for metadata ({@link #KEPT_FILES}). Keyed by the layer's diffID, so it is the same
 * for every compression of the layer.
 *
 * <p>Entries carry no content ({@link LayerEntry#EMPTY}); a reader binds file contents to the
 * layer blob when it needs them. This class is immutable.
 *
 * @param diffId the sha256 of the layer's uncompressed tar
 * @param entries the entries in layer order
 * @param files the bytes of the {@link #KEPT_FILES} the layer holds as regular files (the arrays
 *     are shared, never changed)
 */
public record LayerIndex(Digest diffId, List<LayerEntry> entries, Map<String, byte[]> files) {
  /** Files whose bytes an index keeps: the owner names of {@code --chown} resolve in them. */
  public static final Set<String> KEPT_FILES = Set.of("etc/passwd", "etc/group");
  /** A kept file larger than this is left to the layer blob. */
  public static final long MAX_KEPT_BYTES = ArchiveEntries.MAX_KEPT_BYTES;

  public LayerIndex {
    Objects.requireNonNull(diffId, "diffId");
    entries = List.copyOf(entries);
    files = Map.copyOf(files);
  }

  /**
   * The index of a layer written from {@code written} (the entries exactly as the tar holds them,
   * in any order): sorted as a reader of the tar sorts, then as {@link #of}.
   */
  public static LayerIndex ofWritten(Digest diffId, Collection<LayerEntry> written) throws IOException {
    List<LayerEntry> sorted = new ArrayList<>(written);
    sorted.sort(Comparator.comparing(LayerIndex::tarPath, LayerPaths.ORDER));
    return of(diffId, sorted);
  }

  /**
   * The index of the layer whose tar holds {@code entries} in this order: {@code .wh.NAME} files
   * (and whiteout entries) become whiteouts, {@code .wh..wh..opq} files (and opaque entries) opaque
   * markers, symlink modes are 0777 as a tar reader reports them, contents are dropped and the
   * bytes of kept files read now.
   */
  public static LayerIndex of(Digest diffId, List<LayerEntry> entries) throws IOException {
    List<LayerEntry> out = new ArrayList<>(entries.size());
    Map<String, byte[]> files = new TreeMap<>();
    for (LayerEntry e : entries) {
      String name = LayerPaths.name(e.path());
      String parent = LayerPaths.parent(e.path());
      if (e.type() == EntryType.WHITEOUT || e.type() == EntryType.OPAQUE_WHITEOUT) {
        out.add(e.type() == EntryType.WHITEOUT ? LayerEntry.whiteout(e.path()) : LayerEntry.opaque(e.path()));
      } else if (name.equals(LayerPaths.OPAQUE_MARKER)) {
        if (!parent.isEmpty()) {
          out.add(LayerEntry.opaque(parent));
        }
      } else if (name.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
        String gone = name.substring(LayerPaths.WHITEOUT_PREFIX.length());
        out.add(LayerEntry.whiteout(parent.isEmpty() ? gone : parent + "/" + gone));
      } else {
        if (kept(e)) {
          try (InputStream in = e.content().open()) {
            files.put(e.path(), in.readAllBytes());
          }
        }
        out.add(withoutContent(e.type() == EntryType.SYMLINK ? e.withMode(0777) : e));
      }
    }
    return new LayerIndex(diffId, out, files);
  }

  /** Whether an index keeps the bytes of file entry {@code e}. */
  public static boolean kept(LayerEntry e) {
    return e.type() == EntryType.FILE && e.size() <= MAX_KEPT_BYTES && KEPT_FILES.contains(e.path());
  }

  /** {@code e} with no content (the only field an index does not keep). */
  public static LayerEntry withoutContent(LayerEntry e) {
    return e.content() == LayerEntry.EMPTY ? e : new LayerEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(),
        e.mtime(), e.size(), e.linkTarget(), e.devMajor(), e.devMinor(), e.xattrs(), LayerEntry.EMPTY);
  }

  private static String tarPath(LayerEntry e) {
    String n = e.tarName();
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LayerIndex other) || !diffId.equals(other.diffId) || !entries.equals(other.entries)
        || !files.keySet().equals(other.files.keySet())) {
      return false;
    }
    return files.entrySet().stream().allMatch(f -> java.util.Arrays.equals(f.getValue(), other.files.get(f.getKey())));
  }

  @Override
  public int hashCode() {
    return Objects.hash(diffId, entries, files.keySet());
  }
}
