package dev.gantry.context;

/**
 * A source path that would leave the build context, such as {@code ../secrets}: refused, never
 * clamped or followed.
 */
public final class ContextPathException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;

  /** An exception for {@code source}, which points outside the context. */
  public ContextPathException(String source) {
    super("source path \"" + source + "\" is outside the build context");
    this.source = source;
  }

  /** The source path as given. */
  public String source() {
    return source;
  }
}
