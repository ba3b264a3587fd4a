package dev.gantry.builder;

import dev.gantry.ast.Suggestions;
import dev.gantry.context.BuildContext;
import dev.gantry.context.ContextEntry;
import dev.gantry.context.EntryType;
import dev.gantry.context.FileDigests;
import dev.gantry.context.IgnoreMatcher;
import dev.gantry.context.SourceMatch;
import dev.gantry.oci.Digest;
import dev.gantry.plan.CopyPaths;
import dev.gantry.plan.CopySpec;
import dev.gantry.plan.InputDigester;
import dev.gantry.plan.StageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Digests what a COPY/ADD reads from the build context (or a named directory context): for every
 * selected file its path, type, mode, link target and content sha256; directories stand for their
 * subtree. Unchanged files are not re-read thanks to the stat cache.
 */
final class ContextInputs implements InputDigester {
  private final Contexts contexts;
  private final FileDigests digests;
  private final UrlSources urls;
  private volatile boolean stopped;

  ContextInputs(Contexts contexts, FileDigests digests, UrlSources urls) {
    this.contexts = contexts;
    this.digests = digests;
    this.urls = urls;
  }

  /**
   * Describes {@code specs} on a thread of its own: the context is walked and its files digested
   * while the planner waits for a base image or a cache, and the digests a read under way is
   * producing are shared with the planner's own (see {@link FileDigests#digest}).
   */
  @Override
  public void prefetch(List<CopySpec> specs) {
    if (specs.isEmpty()) {
      return;
    }
    Thread t = new Thread(() -> {
      for (CopySpec spec : specs) {
        if (stopped) {
          return;
        }
        try {
          describe(spec);
        } catch (IOException | RuntimeException e) {
          // the planner meets it again in describe and reports it at the instruction
        }
      }
    }, "gantry-context-prefetch");
    t.setDaemon(true);
    t.start();
  }

  /** Ends {@link #prefetch} after the spec it is describing. */
  void stop() {
    stopped = true;
  }

  @Override
  public Object describe(CopySpec spec) throws IOException {
    BuildContext ctx = spec.from() instanceof StageRef.OfContext c ? contexts.directory(c.name()) : contexts.main();
    IgnoreMatcher excludes = spec.excludes().isEmpty() ? null : IgnoreMatcher.of(spec.excludes());
    List<Object> out = new ArrayList<>();
    for (String source : spec.sources()) {
      if (CopySpec.isUrl(source)) {
        UrlSources.Fetched f = urls.fetch(source, spec.checksum());
        out.add(Map.of("url", source, "sha256", f.digest().toString(), "modified", f.modified().toString(),
            "name", f.fileName()));
        continue;
      }
      if (spec.parents()) {
        describeParents(ctx, source, excludes, out);
        continue;
      }
      String clean = CopyPaths.source(source);
      SourceMatch match = ctx.resolveSource(clean.isEmpty() ? "." : clean);
      if (!match.found()) {
        if (CopyPaths.hasWildcards(clean)) {
          continue;
        }
        throw new MissingSourceException("failed to compute cache key: \"/" + clean + "\": not found",
            match.excludedByIgnore() ? "\"" + clean + "\" is excluded by " + ctx.ignoreFileName()
                + "; remove the pattern that matches it, or add a !" + clean + " exception"
                : Suggestions.withSuggestion("the path is relative to the build context " + ctx.root().getFileName(),
                    clean, siblings(ctx, clean), true));
      }
      for (ContextEntry e : match.entries()) {
        describeTree(ctx, e, excludes, out);
        if (e.isSymlink()) {
          var target = ctx.followSymlink(e);
          if (target.isPresent()) {
            describeTree(ctx, target.get(), excludes, out);
          }
        }
      }
    }
    return out;
  }

  /** The paths of the context's entries as deep as {@code path}: what a mistyped source may have meant. */
  private static List<String> siblings(BuildContext ctx, String path) {
    long depth = path.chars().filter(c -> c == '/').count();
    return ctx.entries().stream().map(ContextEntry::path)
        .filter(p -> p.chars().filter(c -> c == '/').count() == depth).toList();
  }

  /** {@code COPY --parents}: the pivot directory's subdirectories (metadata) and the files the pattern selects. */
  private void describeParents(BuildContext ctx, String source, IgnoreMatcher excludes, List<Object> out)
      throws IOException {
    ParentPaths pp = ParentPaths.of(source);
    String required = pp.required();
    if (required != null && !ctx.resolveSource(required.isEmpty() ? "." : required).found()) {
      throw new MissingSourceException("failed to compute cache key: \"/" + required + "\": not found",
          "the path is relative to the build context " + ctx.root().getFileName());
    }
    IgnoreMatcher include = pp.pattern().isEmpty() ? null : IgnoreMatcher.of(List.of(pp.pattern()));
    SourceMatch match = ctx.resolveSource(pp.root().isEmpty() ? "." : pp.root());
    for (ContextEntry top : match.found() ? match.entries() : List.<ContextEntry>of()) {
      describeAll(ctx, topAndBelow(ctx, top, (e, rel) -> (excludes == null || !excludes.matches(rel))
          && (e.isDirectory() || include == null || include.matches(rel))), out);
    }
  }

  private void describeTree(BuildContext ctx, ContextEntry top, IgnoreMatcher excludes, List<Object> out)
      throws IOException {
    describeAll(ctx, !top.isDirectory() ? List.of(top)
        : topAndBelow(ctx, top, (e, rel) -> excludes == null || !excludes.matches(rel)), out);
  }

  /** {@code top}, then the entries below it (in walk order) that {@code keep} accepts with their path relative to it. */
  private static List<ContextEntry> topAndBelow(BuildContext ctx, ContextEntry top,
      BiPredicate<ContextEntry, String> keep) {
    String prefix = top.path().equals(".") ? "" : top.path() + "/";
    List<ContextEntry> selected = new ArrayList<>();
    selected.add(top);
    for (ContextEntry e : ctx.entries()) {
      if (e.path().startsWith(prefix) && !e.path().equals(top.path())
          && keep.test(e, e.path().substring(prefix.length()))) {
        selected.add(e);
      }
    }
    return selected;
  }

  /** Appends the description of each entry; the contents of files are digested in parallel. */
  private void describeAll(BuildContext ctx, List<ContextEntry> entries, List<Object> out) throws IOException {
    List<ContextEntry> files = new ArrayList<>();
    for (ContextEntry e : entries) {
      if (e.type() == EntryType.FILE) {
        files.add(e);
      }
    }
    Iterator<Digest> sums = digests.digestAll(ctx, files).iterator();
    for (ContextEntry e : entries) {
      out.add(describe(e, e.type() == EntryType.FILE ? sums.next() : null));
    }
  }

  private static Map<String, Object> describe(ContextEntry e, Digest content) {
    Map<String, Object> m = new TreeMap<>();
    m.put("path", e.path());
    m.put("type", e.type().toString());
    m.put("mode", e.mode());
    if (e.isSymlink()) {
      m.put("link", e.linkTarget());
    }
    if (content != null) {
      m.put("sha256", content.hex());
    }
    return m;
  }
}
