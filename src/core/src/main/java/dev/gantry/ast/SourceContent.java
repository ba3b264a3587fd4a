package dev.gantry.ast;

import java.util.Objects;

/**
 * An inline COPY/ADD source given as a here-document ({@code COPY <<EOF /dest}).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param path the file name (the heredoc delimiter)
 * @param data the body; for {@code <<-} leading tabs are already removed
 * @param expand true when variables in the body are expanded (the delimiter was not quoted)
 */
public record SourceContent(String path, String data, boolean expand) {
  public SourceContent {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(data, "data");
  }
}
