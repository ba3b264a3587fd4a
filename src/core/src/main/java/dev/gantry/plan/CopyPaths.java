package dev.gantry.plan;

/** Path rules of COPY and ADD, as BuildKit applies them before copying. */
public final class CopyPaths {
  private CopyPaths() {}

  /**
   * The absolute destination of a COPY: relative paths are joined to the working directory, the
   * result is cleaned, and a trailing {@code /} (or {@code /.}, or a bare {@code .}) is kept, since
   * it means "into this directory".
   */
  public static String destination(String workdir, String dest) {
    String p = dest;
    if (!p.startsWith("/") && (p.equals(".") || p.isEmpty())) {
      p = "./";
    }
    String parent = workdir == null || workdir.isEmpty() ? "/" : workdir;
    String joined = p.startsWith("/") ? Metadata.cleanPath(p) : Metadata.cleanPath(parent + "/" + p);
    if (p.endsWith("/") && !joined.endsWith("/")) {
      joined += "/";
    } else if (p.endsWith("/.") && !joined.equals("/")) {
      joined += "/";
    }
    return joined;
  }

  /**
   * A source path cleaned inside its root: absolute, no {@code .} or {@code ..} components, so
   * {@code ../x} can never leave the context; returned without the leading {@code /}
   * ({@code ""} for the root itself).
   */
  public static String source(String src) {
    String clean = Metadata.cleanPath("/" + src);
    return clean.equals("/") ? "" : clean.substring(1);
  }

  /** True when a path holds an unescaped glob metacharacter ({@code * ? [}). */
  public static boolean hasWildcards(String p) {
    return dev.gantry.context.GoGlob.hasWildcards(p);
  }
}
