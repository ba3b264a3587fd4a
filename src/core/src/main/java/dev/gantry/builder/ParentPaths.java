package dev.gantry.builder;

import dev.gantry.plan.CopyPaths;

/**
 * A {@code COPY --parents} source split as BuildKit splits it: at the first {@code /./} (the pivot)
 * into the directory copied from and an include pattern below it; without a pivot the directory is
 * the source root and the whole source is the pattern. Both are cleaned and relative.
 *
 * @param root the directory the pattern is matched under ({@code ""} for the source root); may hold wildcards
 * @param pattern the include pattern ({@code .dockerignore} syntax, {@code **} allowed); {@code ""} for everything
 */
record ParentPaths(String root, String pattern) {

  static ParentPaths of(String source) {
    int pivot = source.indexOf("/./");
    String root = pivot < 0 ? "/" : source.substring(0, pivot);
    String pattern = pivot < 0 ? source : source.substring(pivot + 3);
    return new ParentPaths(CopyPaths.source(root), CopyPaths.source(pattern));
  }

  /** The path that must exist when neither part has a wildcard, else null. */
  String required() {
    if (CopyPaths.hasWildcards(root) || CopyPaths.hasWildcards(pattern)) {
      return null;
    }
    return CopyExecutor.join(root, pattern);
  }
}
