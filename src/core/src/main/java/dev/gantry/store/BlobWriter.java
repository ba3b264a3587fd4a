package dev.gantry.store;

import dev.gantry.oci.Digest;
import dev.gantry.oci.DigestingSink;
import dev.gantry.oci.VerifyingInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An output stream that writes one new blob into the store: bytes go to a temporary file inside the
 * store while their sha256 and size are computed; {@link #commit()} makes the blob visible under its
 * digest in one atomic rename. Until then nothing is visible, and {@link #close()} without a commit
 * discards the bytes. A writer that crashes leaves only a temporary file, which {@link Store#gc}
 * removes once no process holds it.
 *
 * <p>A writer is used by one thread at a time; different writers may run concurrently, in one or
 * many processes, even for the same content.
 */
public final class BlobWriter extends OutputStream implements DigestingSink {
  /** Publishes a finished temporary file; implemented by the store. */
  @FunctionalInterface
  interface Committer {
    StoredBlob commit(Path temp, Digest digest, long size) throws IOException;
  }

  private enum State { OPEN, COMMITTED, ABORTED }

  /** The temporary files of this process's open writers. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  private final Path temp;
  private final FileChannel channel;
  private final FileLock liveMarker;
  private final OutputStream out;
  private final MessageDigest sha256 = Digest.newSha256();
  /** A stream that verifies what it yields, when every byte written comes from it: then nothing is hashed here. */
  private final VerifyingInputStream source;
  private final Committer committer;
  private long size;
  private State state = State.OPEN;

  private BlobWriter(Path temp, FileChannel channel, FileLock liveMarker, Committer committer,
      VerifyingInputStream source) {
    this.temp = temp;
    this.channel = channel;
    this.liveMarker = liveMarker;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    this.committer = committer;
    this.source = source;
  }

  static BlobWriter create(Path tmpDir, Committer committer) throws IOException {
    return create(tmpDir, committer, null);
  }

  /**
   * A writer of bytes that all come, in order, from {@code source} (null: from anywhere), which
   * verifies them: the writer does not hash them again, and commits only when the source was read
   * to its verified end and yielded exactly what was written.
   */
  static BlobWriter create(Path tmpDir, Committer committer, VerifyingInputStream source) throws IOException {
    Path temp = AtomicFiles.tempName(tmpDir, "blob");
    LIVE.add(temp);
    FileChannel channel;
    try {
      channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      LIVE.remove(temp);
      throw e;
    }
    try {
      // Held until commit or abort: tells a collector in another process this file is live.
      FileLock marker = channel.lock();
      return new BlobWriter(temp, channel, marker, committer, source);
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(temp);
      LIVE.remove(temp);
      throw e;
    }
  }

  @Override
  public void write(int b) throws IOException {
    requireOpen();
    out.write(b);
    if (source == null) {
      sha256.update((byte) b);
    }
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    requireOpen();
    out.write(b, off, len);
    if (source == null) {
      sha256.update(b, off, len);
    }
    size += len;
  }

  @Override
  public void flush() throws IOException {
    requireOpen();
    out.flush();
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  @Override
  public Digest digestSoFar() {
    if (source != null) {
      throw new IllegalStateException("a writer of a verifying source has no digest before the source's end");
    }
    return Digest.soFar(sha256);
  }

  @Override
  public long bytesSoFar() {
    return size;
  }

  /**
   * Syncs the bytes to disk and publishes them under their sha256. When the store already holds
   * the content, the temporary file is discarded and the result says {@code created == false}.
   */
  public StoredBlob commit() throws IOException {
    return commit(null);
  }

  /**
   * Like {@link #commit()}, but refuses content whose digest is not {@code expected}: the bytes are
   * discarded and a {@link DigestMismatchException} is thrown.
   */
  public StoredBlob commit(Digest expected) throws IOException {
    requireOpen();
    boolean done = false;
    try {
      out.flush();
      channel.force(true);
      Digest digest = digest();
      if (expected != null && !expected.equals(digest)) {
        throw new DigestMismatchException("content of " + size + " bytes has digest " + digest
            + ", expected " + expected, expected, digest);
      }
      StoredBlob result = committer.commit(temp, digest, size);
      done = true;
      state = State.COMMITTED;
      return result;
    } finally {
      if (!done) {
        state = State.ABORTED;
      }
      release();
    }
  }

  /** The digest of what was written: hashed here, or the verified source's. */
  private Digest digest() throws IOException {
    if (source == null) {
      return Digest.fromHash(sha256.digest());
    }
    if (!source.verified() || source.bytesRead() != size) {
      throw new IOException("blob " + source.expected() + " cannot be stored: " + size + " bytes written, "
          + source.bytesRead() + " read from its source" + (source.verified() ? "" : ", which was not read to its end"));
    }
    return source.expected();
  }

  /** Discards everything written; a no-op after commit. */
  public void abort() throws IOException {
    if (state == State.OPEN) {
      state = State.ABORTED;
      release();
    }
  }

  /** Same as {@link #abort()}: closing a writer that was not committed stores nothing. */
  @Override
  public void close() throws IOException {
    abort();
  }

  private void release() throws IOException {
    try {
      if (liveMarker.isValid()) {
        liveMarker.release();
      }
      channel.close();
    } finally {
      Files.deleteIfExists(temp);
      LIVE.remove(temp);
    }
  }

  /** True when {@code temp} is the temporary file of an open writer of this process. */
  static boolean isLive(Path temp) {
    return LIVE.contains(temp);
  }

  private void requireOpen() throws IOException {
    if (state != State.OPEN) {
      throw new IOException("blob writer already " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
