package dev.gantry.context;

import dev.gantry.oci.Utf8Order;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CountedCompleter;

/**
 * Lists the entries of a context directory that a build may use, as BuildKit's context transfer
 * does.
 *
 * <p>The walk is depth first with the names of each directory in code-point order (so
 * {@code a/b} comes before {@code a.txt}). Symbolic links are reported as links and never
 * followed, so the walk cannot leave the context. An ignored file is left out. An ignored
 * directory is skipped whole unless an exception may re-include something below it ({@link
 * IgnoreMatcher#mayReincludeUnder}); then it is walked, and it is listed (just before its first
 * listed descendant) only when something inside it is re-included. A regular file whose inode was
 * already listed carries the first path in {@link ContextEntry#hardlinkOf()}.
 */
public final class ContextWalker {
  private final IgnoreMatcher matcher;
  private final List<ContextEntry> out = new ArrayList<>();
  private final List<PendingDir> pending = new ArrayList<>();
  private final Map<FileId, String> firstPathOfInode = new HashMap<>();

  private ContextWalker(IgnoreMatcher matcher) {
    this.matcher = matcher;
  }

  /**
   * The included entries below {@code contextDir} (not the root itself), in walk order.
   *
   * <p>Directories are listed and their entries stat'ed in parallel (one task per directory, none
   * waiting for another, so the depth of the tree never deepens a thread's stack); the result is
   * then assembled in walk order on the calling thread, so it does not depend on timing.
   *
   * @throws IgnorePatternException when a pattern cannot be compiled
   */
  public static List<ContextEntry> walk(Path contextDir, IgnoreMatcher matcher) throws IOException {
    Objects.requireNonNull(matcher, "matcher");
    Path root = contextDir.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(contextDir.toString(), null, "build context is not a directory");
    }
    ContextWalker walker = new ContextWalker(matcher);
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    Listing top = new Listing();
    try {
      pool.invoke(new DirTask(null, matcher, root, "", IgnoreMatcher.Result.UNKNOWN, top));
      walker.assemble(top.nodes);
    } catch (WalkFailure f) {
      if (f.getCause() instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) f.getCause();
    } finally {
      pool.shutdown();
    }
    return List.copyOf(walker.out);
  }

  /** One listed entry, its ignore result, and (for a walked directory) its listing. */
  private record Node(ContextEntry entry, IgnoreMatcher.Result result, Listing children) {}

  /** The nodes of one directory, filled by its task before the task completes. */
  private static final class Listing {
    volatile List<Node> nodes = List.of();
  }

  /**
   * Lists one directory, stats its entries and forks a task per directory to descend into. The
   * task completes when its subtasks have (a counted completer: no task joins another).
   */
  private static final class DirTask extends CountedCompleter<Void> {
    private static final long serialVersionUID = 1L;
    private final transient IgnoreMatcher matcher;
    private final transient Path dir;
    private final String dirRel;
    private final transient IgnoreMatcher.Result parent;
    private final transient Listing listing;

    DirTask(DirTask completer, IgnoreMatcher matcher, Path dir, String dirRel, IgnoreMatcher.Result parent,
        Listing listing) {
      super(completer);
      this.matcher = matcher;
      this.dir = dir;
      this.dirRel = dirRel;
      this.parent = parent;
      this.listing = listing;
    }

    @Override
    public void compute() {
      try {
        List<String> names = sortedNames(dir);
        List<Node> nodes = new ArrayList<>(names.size());
        List<DirTask> subtasks = new ArrayList<>();
        for (String name : names) {
          String rel = dirRel.isEmpty() ? name : dirRel + "/" + name;
          Path path = dir.resolve(name);
          ContextEntry entry;
          try {
            entry = Stat.of(path, rel);
          } catch (NoSuchFileException vanished) {
            continue;
          }
          IgnoreMatcher.Result result = matcher.match(rel, parent);
          Listing children = null;
          if (entry.isDirectory() && (!result.ignored() || matcher.mayReincludeUnder(rel))) {
            children = new Listing();
            subtasks.add(new DirTask(this, matcher, path, rel, result, children));
          }
          nodes.add(new Node(entry, result, children));
        }
        listing.nodes = nodes;
        setPendingCount(subtasks.size());
        for (DirTask t : subtasks) {
          t.fork();
        }
        tryComplete();
      } catch (IOException | RuntimeException e) {
        completeExceptionally(e instanceof WalkFailure w ? w : new WalkFailure(e));
      }
    }
  }

  /** Carries a task's failure to {@link #walk} unchanged (ForkJoin re-creates other exception types). */
  private static final class WalkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WalkFailure(Exception cause) {
      super(null, cause, false, false);
    }
  }

  /** A listing being assembled: its next node, and the ignored directory it belongs to (if any). */
  private static final class Frame {
    final List<Node> nodes;
    final PendingDir pendingDir;
    int next;

    Frame(List<Node> nodes, PendingDir pendingDir) {
      this.nodes = nodes;
      this.pendingDir = pendingDir;
    }
  }

  /** Emits the listings depth first in walk order, with an explicit stack (any depth). */
  private void assemble(List<Node> top) {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(top, null));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next == f.nodes.size()) {
        stack.pop();
        if (f.pendingDir != null) {
          pending.remove(pending.size() - 1);
        }
        continue;
      }
      Node n = f.nodes.get(f.next++);
      if (!n.result().ignored()) {
        emit(n.entry());
        if (n.children() != null) {
          stack.push(new Frame(n.children().nodes, null));
        }
      } else if (n.children() != null) {
        PendingDir p = new PendingDir(n.entry());
        pending.add(p);
        stack.push(new Frame(n.children().nodes, p));
      }
    }
  }

  private void emit(ContextEntry entry) {
    for (PendingDir p : pending) {
      if (!p.emitted) {
        out.add(p.entry);
        p.emitted = true;
      }
    }
    if (entry.type() == EntryType.FILE && entry.linkCount() > 1
        && (entry.fileId().inode() != 0 || entry.fileId().device() != 0)) {
      String first = firstPathOfInode.putIfAbsent(entry.fileId(), entry.path());
      if (first != null) {
        entry = entry.withHardlinkOf(first);
      }
    }
    out.add(entry);
  }

  private static List<String> sortedNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    } catch (NoSuchFileException vanished) {
      return names;
    }
    names.sort(Utf8Order::compare);
    return names;
  }

  /** An ignored directory that is listed only if something below it is. */
  private static final class PendingDir {
    final ContextEntry entry;
    boolean emitted;

    PendingDir(ContextEntry entry) {
      this.entry = entry;
    }
  }
}
