package dev.gantry.builder;

import dev.gantry.context.GoGlob;
import dev.gantry.context.IgnoreMatcher;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import dev.gantry.plan.CopyPaths;
import dev.gantry.plan.Modes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the layer of a COPY with BuildKit's copy semantics: a directory source copies its
 * contents; a file goes into an existing directory destination (or one written with a trailing
 * slash) under its own name, else becomes the destination; missing parents are created (0755, or
 * the octal {@code --chmod}, owned by {@code --chown}); symlinks are copied as symlinks, except that
 * a source path itself is followed; hard links stay hard links; modes keep setuid/setgid/sticky.
 * A directory copied onto an existing one takes the source's metadata, except the top directory
 * of the copy, which keeps the destination's. FIFOs and device nodes are copied as such. An entry
 * named like a whiteout becomes what the layer will mean ({@link WhiteoutNames}).
 *
 * <p>One instance serves one COPY step; it reads the destination tree and records what it writes.
 */
final class CopyExecutor {
  /** Owner ids for copied entries, or null to keep the source's. */
  record Owner(long uid, long gid) {}

  private final FsTree dest;
  private final Owner owner;
  private final String chmod;
  private final Instant now;
  private final java.util.TreeMap<String, LayerEntry> out = new java.util.TreeMap<>();
  private final Map<Object, String> linked = new HashMap<>();
  private final List<String> notes = new ArrayList<>();

  CopyExecutor(FsTree dest, Owner owner, String chmod, Instant now) {
    this.dest = dest;
    this.owner = owner;
    this.chmod = chmod;
    this.now = now;
  }

  /** The sources a (possibly wildcard) source path selects in {@code src}; empty when a wildcard matches nothing. */
  static List<String> matches(SourceTree src, String source) {
    String clean = CopyPaths.source(source);
    if (!CopyPaths.hasWildcards(clean)) {
      return List.of(clean);
    }
    String[] parts = clean.split("/");
    List<String> current = List.of("");
    for (String part : parts) {
      List<String> next = new ArrayList<>();
      for (String base : current) {
        if (!GoGlob.hasWildcards(part)) {
          next.add(join(base, GoGlob.unescape(part)));
          continue;
        }
        String dir = src.tree().resolve(base, true);
        if (dir == null || !src.isDirectory(dir)) {
          continue;
        }
        for (LayerEntry child : src.tree().children(dir)) {
          String name = LayerPaths.name(child.path());
          if (GoGlob.match(part, name)) {
            next.add(join(base, name));
          }
        }
      }
      current = next;
    }
    List<String> found = new ArrayList<>();
    for (String c : current) {
      String r = src.tree().resolve(c, false);
      if (r != null && (r.isEmpty() || src.tree().exists(r))) {
        found.add(c);
      }
    }
    return found;
  }

  /** Creates the directories a destination needs before anything is copied (BuildKit's ensureDstPath). */
  void prepareDestination(String destination) {
    String rel = destination.substring(1);
    if (destination.endsWith("/")) {
      mkdirAll(strip(rel));
    } else {
      mkdirAll(parent(rel));
    }
  }

  /**
   * Creates the absolute directory {@code destination} for the entries of an unpacked archive and
   * returns where it is, resolved through symlinks: absolute, ending in {@code /}.
   */
  String prepareDirectory(String destination) {
    String rel = strip(destination.substring(1));
    mkdirAll(rel);
    String r = resolve(rel);
    return r.isEmpty() ? "/" : "/" + r + "/";
  }

  /**
   * Copies {@code source} (a clean relative path in {@code src}, "" for its root) to the absolute
   * {@code destination}.
   *
   * @throws IllegalArgumentException when the source does not exist
   */
  void copy(SourceTree src, String source, String destination, IgnoreMatcher excludes) {
    String followed = src.tree().resolve(source, true);
    if (followed == null || !(followed.isEmpty() || src.tree().exists(followed))) {
      throw new IllegalArgumentException("\"/" + source + "\": not found");
    }
    boolean srcIsDir = src.isDirectory(followed);
    String destRel = resolve(strip(destination.substring(1)));
    boolean destExists = destRel.isEmpty() || dest.exists(destRel) || out.containsKey(destRel);
    boolean destIsDir = destRel.isEmpty() || isDir(destRel);
    String target = destRel;
    if (!srcIsDir && destExists && destIsDir) {
      String base = source.isEmpty() ? LayerPaths.name(followed) : LayerPaths.name(source);
      target = join(destRel, base);
    }
    if (srcIsDir && !destExists) {
      mkdirAll(target);
    } else {
      mkdirAll(parent(target));
    }
    copyNode(src, followed, "", target, excludes);
  }

  /**
   * {@code COPY --parents}: below {@code root} (a clean relative directory of {@code src}), every entry
   * whose relative path {@code include} matches is copied, with its subtree, to the same relative path
   * below {@code destination}; the directories leading to it are created with their source metadata
   * when they do not exist yet (fsutil's include-pattern copy). A root that is not a directory copies nothing.
   */
  void copyParents(SourceTree src, String root, IgnoreMatcher include, String destination, IgnoreMatcher excludes) {
    String followed = src.tree().resolve(root, true);
    if (followed == null || !src.isDirectory(followed)) {
      return;
    }
    String destRel = resolve(strip(destination.substring(1)));
    mkdirAll(destRel);
    includeUnder(src, followed, destRel, include, excludes);
  }

  /** A directory being walked by {@link #includeUnder}: its remaining children and whether it is pending. */
  private record Walked(String rel, String target, java.util.Iterator<LayerEntry> children, boolean pending) {}

  private void includeUnder(SourceTree src, String root, String destRel, IgnoreMatcher include, IgnoreMatcher excludes) {
    List<String[]> pending = new ArrayList<>();
    Deque<Walked> stack = new ArrayDeque<>();
    stack.push(new Walked("", destRel, src.tree().children(root).iterator(), false));
    while (!stack.isEmpty()) {
      Walked w = stack.peek();
      if (!w.children().hasNext()) {
        stack.pop();
        if (w.pending()) {
          pending.remove(pending.size() - 1);
        }
        continue;
      }
      LayerEntry child = w.children().next();
      String name = LayerPaths.name(child.path());
      String r = join(w.rel(), name);
      String t = join(w.target(), name);
      boolean dir = src.isDirectory(child.path());
      if (excludes != null && excludes.matches(r) && !(dir && excludes.mayReincludeUnder(r))) {
        continue;
      }
      if (include.matches(r)) {
        for (String[] p : pending) {
          if (!isDir(p[1])) {
            put(meta(src.tree().get(p[0]), true).withPath(p[1]));
          }
        }
        copyNode(src, child.path(), r, t, excludes);
      } else if (dir) {
        pending.add(new String[] {child.path(), t});
        stack.push(new Walked(r, t, src.tree().children(child.path()).iterator(), true));
      }
    }
  }

  /** Creates the absolute directory {@code path} and its missing parents (WORKDIR). */
  void mkdirs(String path) {
    mkdirAll(strip(path.substring(1)));
  }

  /** Adds entries produced elsewhere (an unpacked archive, a downloaded file) under the copy's owner rules. */
  void add(LayerEntry e) {
    put(owner == null ? e : e.withOwner(owner.uid(), owner.gid()));
  }

  /**
   * Copies the node at {@code path} and, for a directory, everything below it (depth first, without
   * recursion, so any depth works). A directory below the top one that already exists takes the
   * source directory's metadata, as BuildKit's copier overwrites it; the top one keeps its own.
   */
  private void copyNode(SourceTree src, String path, String rel, String target, IgnoreMatcher excludes) {
    Deque<String[]> todo = new ArrayDeque<>();
    todo.push(new String[] {path, rel, target});
    while (!todo.isEmpty()) {
      String[] node = todo.pop();
      copyOne(src, node[0], node[1], node[2], excludes, todo);
    }
  }

  private void copyOne(SourceTree src, String path, String rel, String target, IgnoreMatcher excludes,
      Deque<String[]> todo) {
    if (!rel.isEmpty() && excludes != null && excludes.matches(rel)) {
      if (!src.isDirectory(path) || !excludes.mayReincludeUnder(rel)) {
        return;
      }
    }
    boolean isDir = src.isDirectory(path);
    LayerEntry e = path.isEmpty() ? LayerEntry.directory("x").withMode(0755) : src.tree().get(path);
    if (isDir) {
      if (!target.isEmpty() && (!isDir(target) || (!rel.isEmpty() && isRealDir(target)))) {
        put(meta(e, true).withPath(target));
      }
      List<LayerEntry> children = src.tree().children(path);
      for (int i = children.size() - 1; i >= 0; i--) {
        String name = LayerPaths.name(children.get(i).path());
        todo.push(new String[] {children.get(i).path(), join(rel, name), join(target, name)});
      }
      return;
    }
    LayerEntry copied = meta(e, false).withPath(target);
    Object inode = src.inodes().get(path);
    if (inode != null && e.type() == EntryType.FILE) {
      String first = linked.putIfAbsent(inode, target);
      if (first != null && !first.equals(target)) {
        copied = LayerEntry.hardlink(target, first).withMode(copied.mode()).withOwner(copied.uid(), copied.gid());
      }
    }
    put(copied);
  }

  private LayerEntry meta(LayerEntry e, boolean directory) {
    LayerEntry m = e;
    if (owner != null) {
      m = m.withOwner(owner.uid(), owner.gid());
    }
    if (chmod != null && m.type() != EntryType.SYMLINK) {
      m = m.withMode(Modes.apply(chmod, m.mode(), directory));
    }
    return m;
  }

  /** True when {@code rel} is a directory after what was written so far (symlinks in the destination followed). */
  private boolean isDir(String rel) {
    LayerEntry o = out.get(rel);
    if (o != null) {
      return o.type() == EntryType.DIR;
    }
    if (rel.isEmpty()) {
      return true;
    }
    LayerEntry d = dest.get(rel);
    if (d != null && d.type() != EntryType.SYMLINK) {
      return d.type() == EntryType.DIR;
    }
    if (d == null && isRealDir(parent(rel))) {
      return false;
    }
    return dest.isDirectory(rel);
  }

  /** True when {@code rel} is a directory itself, not a symlink to one (the root is). */
  private boolean isRealDir(String rel) {
    if (rel.isEmpty()) {
      return true;
    }
    LayerEntry o = out.get(rel);
    LayerEntry e = o != null ? o : dest.get(rel);
    return e != null && e.type() == EntryType.DIR;
  }

  /**
   * Creates the missing directories of {@code rel} where it leads inside the root: symlinks in every
   * component are followed (what the step wrote first, then the destination tree), a link whose
   * target is missing has its target created, and the link itself stays (fsutil's MkdirAll on a
   * root-relative path).
   */
  private void mkdirAll(String rel) {
    if (rel.isEmpty()) {
      return;
    }
    String current = "";
    for (String part : resolve(rel).split("/")) {
      current = join(current, part);
      if (!current.isEmpty() && !isDir(current)) {
        int mode = chmod != null && Modes.isOctal(chmod) ? Modes.apply(chmod, 0755, true) : 0755;
        LayerEntry dir = LayerEntry.directory(current).withMode(mode).withMtime(now);
        put(owner == null ? dir : dir.withOwner(owner.uid(), owner.gid()));
      }
    }
  }

  /** {@code rel} resolved inside the root through the symlinks of this step's entries and the destination's. */
  private String resolve(String rel) {
    String r = FsTree.resolve(p -> out.containsKey(p) ? out.get(p) : dest.get(p), rel, true);
    if (r == null) {
      throw new IllegalArgumentException("too many levels of symbolic links in /" + rel);
    }
    return r;
  }

  private void put(LayerEntry e) {
    if (e.type() != EntryType.WHITEOUT && e.type() != EntryType.OPAQUE_WHITEOUT
        && (e.path().startsWith(LayerPaths.WHITEOUT_PREFIX) || e.path().contains("/" + LayerPaths.WHITEOUT_PREFIX))) {
      e = WhiteoutNames.convert(e, notes);
      if (e == null) {
        return;
      }
    }
    if (e.type() == EntryType.WHITEOUT || e.type() == EntryType.OPAQUE_WHITEOUT) {
      out.put(e.tarName(), e);
      return;
    }
    if (e.type() != EntryType.DIR) {
      out.subMap(e.path() + "/", true, e.path() + "/\uffff", true).clear();
    }
    out.put(e.path(), e);
  }

  /** What the copy could not keep as the source had it, one sentence each (for warnings). */
  List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * The layer: what was written plus every parent directory of it, with the parent's current
   * metadata (so extracting the layer changes nothing it did not copy).
   */
  List<LayerEntry> layer() {
    Map<String, LayerEntry> all = new LinkedHashMap<>();
    for (LayerEntry e : out.values()) {
      if (overwritten(e)) {
        continue;
      }
      String p = e.type() == EntryType.OPAQUE_WHITEOUT ? e.path() : parent(e.path());
      while (!p.isEmpty() && !out.containsKey(p) && !all.containsKey(p)) {
        LayerEntry existing = dest.get(p);
        all.put(p, existing != null ? existing.withPath(p) : LayerEntry.directory(p).withMtime(now));
        p = parent(p);
      }
    }
    out.forEach((key, e) -> {
      if (!overwritten(e)) {
        all.put(key, e);
      }
    });
    return List.copyOf(all.values());
  }

  /** A whiteout for a path the same layer also writes: it would only hide the layers below, which the entry replaces anyway. */
  private boolean overwritten(LayerEntry e) {
    return e.type() == EntryType.WHITEOUT && (out.containsKey(e.path())
        || !out.subMap(e.path() + "/", true, e.path() + "/\uffff", true).isEmpty());
  }

  static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
  }

  static String parent(String rel) {
    int i = rel.lastIndexOf('/');
    return i < 0 ? "" : rel.substring(0, i);
  }

  private static String strip(String p) {
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
