package dev.gantry.layer;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Collection;
import java.util.List;

/**
 * The tar a {@link TarLayerWriter} writes for some planned entries, uncompressed and not hashed, as
 * a stream: a thread of its own writes it into a pipe while the caller reads. A failure of the
 * writer (a file that cannot be read) is thrown by the read that reaches the end of what it wrote.
 * Closing the stream stops the writer (its next write fails) and waits for its thread. Used by one
 * reader thread; not thread-safe.
 */
final class PipedTar extends FilterInputStream {
  private static final int PIPE = 1 << 20;
  private static final int BUFFER = 64 * 1024;
  private final Thread writer;
  private volatile Throwable failure;

  private PipedTar(List<LayerEntry> planned) throws IOException {
    super(new PipedInputStream(PIPE));
    PipedOutputStream pipe = new PipedOutputStream((PipedInputStream) in);
    this.writer = new Thread(() -> write(planned, pipe), "gantry-layer-tar");
    writer.setDaemon(true);
  }

  /** Starts writing {@code planned} (entries as {@link TarLayerWriter#plan} gives them) and returns the stream of the tar. */
  static PipedTar start(Collection<LayerEntry> planned) throws IOException {
    PipedTar t = new PipedTar(List.copyOf(planned));
    t.writer.start();
    return t;
  }

  private void write(List<LayerEntry> planned, PipedOutputStream pipe) {
    try {
      TarLayerWriter.writeTar(planned, new BufferedOutputStream(pipe, BUFFER));
    } catch (Throwable t) {
      failure = t;
    } finally {
      try {
        pipe.close();
      } catch (IOException e) {
        // the reader closed its end first: it is not reading any more
      }
    }
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      check();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      check();
    }
    return n;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw io;
    }
    if (t != null) {
      throw new IOException("writing the layer tar failed: " + t, t);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      writer.join();
    } catch (InterruptedException e) {
      throw AsyncOutputStream.interrupted(writer, "layer tar writing interrupted");
    }
  }
}
