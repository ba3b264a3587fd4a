package dev.gantry.builder;

import dev.gantry.context.IgnoreMatcher;
import dev.gantry.layer.ArchiveEntries;
import dev.gantry.layer.ArchiveFormat;
import dev.gantry.layer.Archives;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.UnsafeArchiveException;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.CopyPaths;
import dev.gantry.plan.CopySpec;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.StageRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** Executes one COPY or ADD: picks the source tree, resolves {@code --chown}, copies, unpacks, downloads. */
final class CopyStep {
  private final BuildSession session;
  private final FsTree current;
  private final PlannedStage stage;
  private List<String> notes = List.of();

  CopyStep(BuildSession session, FsTree current, PlannedStage stage) {
    this.session = session;
    this.current = current;
    this.stage = stage;
  }

  /** Resolves a {@code --chown} or USER value in {@code tree}'s /etc/passwd and /etc/group. */
  static CopyExecutor.Owner owner(FsTree tree, String spec) throws IOException, StepException {
    try {
      return UserDb.of(tree).resolve(spec);
    } catch (IllegalArgumentException e) {
      throw new StepException(e.getMessage(), "add the user to /etc/passwd (and the group to /etc/group) in an"
          + " earlier step, or use numeric ids such as --chown=1000:1000");
    }
  }

  List<LayerEntry> run(CopySpec spec) throws IOException, StepException {
    CopyExecutor.Owner owner = spec.chown() == null ? null : owner(current, spec.chown());
    // BuildKit copies --link onto scratch and merges, but not with --chmod (then it is a plain copy)
    FsTree dest = spec.link() && spec.chmod() == null ? FsTree.empty() : current;
    CopyExecutor ex = new CopyExecutor(dest, owner, spec.chmod(), session.epoch);
    ex.prepareDestination(spec.destination());
    IgnoreMatcher excludes = spec.excludes().isEmpty() ? null : IgnoreMatcher.of(spec.excludes());
    SourceTree src = null;
    for (String source : spec.sources()) {
      if (CopySpec.isUrl(source)) {
        copyUrl(ex, source, spec);
        continue;
      }
      if (src == null) {
        src = sourceTree(spec.from());
      }
      if (spec.parents()) {
        copyParents(ex, src, source, spec.destination(), excludes);
        continue;
      }
      List<String> matches = CopyExecutor.matches(src, source);
      if (matches.isEmpty() && !CopyPaths.hasWildcards(CopyPaths.source(source))) {
        throw new StepException("\"/" + CopyPaths.source(source) + "\": not found", null);
      }
      for (String m : matches) {
        if (spec.add() && !Boolean.FALSE.equals(spec.unpack()) && unpack(ex, src, m, spec.destination())) {
          continue;
        }
        try {
          ex.copy(src, m, spec.destination(), excludes);
        } catch (IllegalArgumentException e) {
          throw new StepException(e.getMessage(), null);
        }
      }
    }
    for (CopySpec.Inline inline : spec.heredocs()) {
      FsTree doc = FsTree.empty();
      String name = CopyPaths.source(inline.path());
      doc.apply(List.of(LayerEntry.file(name, inline.data().getBytes(StandardCharsets.UTF_8)).withMtime(session.epoch)));
      ex.copy(SourceTree.of(doc), name, spec.destination(), null);
    }
    notes = ex.notes();
    return ex.layer();
  }

  /** What the last {@link #run} could not keep as its sources had it, one sentence each (for warnings). */
  List<String> notes() {
    return notes;
  }

  private SourceTree sourceTree(StageRef from) throws IOException {
    if (from == null) {
      return SourceTree.of(session.contexts.main(), session.epoch);
    }
    if (from instanceof StageRef.OfStage s) {
      return SourceTree.of(session.tree(s.index()));
    }
    if (from instanceof StageRef.OfContext c && session.contexts.isDirectory(c.name())) {
      return SourceTree.of(session.contexts.directory(c.name()), session.epoch);
    }
    BaseImage image = session.bases.resolve(from, stage.platform());
    return SourceTree.of(session.imageTree(from, image));
  }

  /** {@code COPY --parents}: keeps each selected path's directories below the destination. */
  private void copyParents(CopyExecutor ex, SourceTree src, String source, String destination, IgnoreMatcher excludes)
      throws StepException {
    ParentPaths pp = ParentPaths.of(source);
    String required = pp.required();
    if (required != null && !exists(src, required)) {
      throw new StepException("\"/" + required + "\": not found", null);
    }
    List<String> roots = CopyExecutor.matches(src, pp.root());
    for (String root : roots) {
      try {
        if (pp.pattern().isEmpty()) {
          ex.copy(src, root, destination, excludes);
        } else {
          ex.copyParents(src, root, IgnoreMatcher.of(List.of(pp.pattern())), destination, excludes);
        }
      } catch (IllegalArgumentException e) {
        throw new StepException(e.getMessage(), null);
      }
    }
  }

  private static boolean exists(SourceTree src, String path) {
    String r = src.tree().resolve(path, true);
    return r != null && (r.isEmpty() || src.tree().exists(r));
  }

  /** Unpacks {@code m} into the destination when it is a local archive (detected by content). */
  private boolean unpack(CopyExecutor ex, SourceTree src, String m, String destination) throws IOException, StepException {
    String followed = src.tree().resolve(m, true);
    LayerEntry e = followed == null ? null : src.tree().get(followed);
    if (e == null || e.type() != EntryType.FILE) {
      return false;
    }
    try (InputStream in = new BufferedInputStream(e.content().open())) {
      if (ArchiveFormat.detect(in) == ArchiveFormat.UNKNOWN) {
        return false;
      }
    }
    try (InputStream in = Archives.open(new BufferedInputStream(e.content().open()))) {
      if (!Archives.isTar(new BufferedInputStream(in))) {
        return false;
      }
    }
    String dir = ex.prepareDirectory(destination);
    try (InputStream in = new BufferedInputStream(e.content().open())) {
      List<LayerEntry> entries = ArchiveEntries.create().allowDevices(true)
          .spoolTo(Files.createTempDirectory(session.scratch, "add")).read(in, dir);
      entries.forEach(ex::add);
    } catch (UnsafeArchiveException x) {
      throw new StepException("refusing to unpack " + m + ": " + x.getMessage(),
          "the archive has entries that would land outside the destination");
    }
    return true;
  }

  /** Downloads {@code url}; it is unpacked only with {@code --unpack=true} (BuildKit's default for URLs is false). */
  private void copyUrl(CopyExecutor ex, String url, CopySpec spec) throws IOException, StepException {
    UrlSources.Fetched f = session.urls.fetch(url, spec.checksum());
    FsTree one = FsTree.empty();
    LayerEntry file = LayerEntry.file(f.fileName(), session.store.blobPath(f.digest()), f.size())
        .withMode(0600).withMtime(f.modified());
    one.apply(List.of(file));
    SourceTree src = SourceTree.of(one);
    if (Boolean.TRUE.equals(spec.unpack()) && unpack(ex, src, f.fileName(), spec.destination())) {
      return;
    }
    ex.copy(src, f.fileName(), spec.destination(), null);
  }
}
