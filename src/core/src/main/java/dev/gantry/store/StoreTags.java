package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The tags of a {@link Store}: one file per name, holding the manifest digest it points at. */
final class StoreTags {
  private final Store store;
  private final StoreLayout layout;
  private final Consumer<Path> syncDirectory;
  private final AtomicLong written = new AtomicLong();

  StoreTags(Store store, StoreLayout layout, Consumer<Path> syncDirectory) {
    this.store = store;
    this.layout = layout;
    this.syncDirectory = syncDirectory;
  }

  /** How many tags this instance wrote. */
  long written() {
    return written.get();
  }

  /** See {@link Store#tag}. */
  void tag(String name, Digest manifestDigest) throws IOException {
    if (manifestDigest.algorithm().equals("sha256")) {
      AtomicFiles.touch(layout.blob(manifestDigest), store.now());
    }
    if (!store.hasBlob(manifestDigest)) {
      throw new NoSuchFileException(layout.blob(manifestDigest).toString(), null,
          "cannot tag " + name + ": no blob " + manifestDigest + " in the store");
    }
    if (name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("not a tag name: \"" + name + "\"");
    }
    Path file = layout.tag(name);
    byte[] bytes = (manifestDigest + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
    if (!AtomicFiles.sameContent(file, bytes)) {
      AtomicFiles.write(layout.tmp(), file, bytes, store.now(), syncDirectory);
      written.incrementAndGet();
    }
  }

  /** See {@link Store#untag}. */
  boolean untag(String name) throws IOException {
    Path file = layout.tag(name);
    boolean existed = Files.deleteIfExists(file);
    if (existed) {
      syncDirectory.accept(file.getParent());
    }
    return existed;
  }
}
