package dev.gantry.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An output stream that hands its bytes, in chunks, to a thread of its own which writes them to the
 * target: the caller (tar writing and diffID hashing) and the target (compression, digest hashing,
 * disk) then run on two cores. The bytes reach the target in order and unchanged; {@link #close}
 * waits for them, closes the target, and rethrows anything the target threw.
 *
 * <p>Used by one writer thread; not thread-safe.
 */
final class AsyncOutputStream extends OutputStream {
  private static final int CHUNK = 256 * 1024;
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
  /** Full chunks the worker has written, handed back for reuse. */
  private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
  private final Thread worker;
  private volatile Throwable failure;
  private byte[] buf = new byte[CHUNK];
  private int n;
  private boolean closed;

  AsyncOutputStream(OutputStream target) {
    this.worker = new Thread(() -> drain(target), "gantry-layer-writer");
    worker.setDaemon(true);
    worker.start();
  }

  private void drain(OutputStream target) {
    try {
      for (byte[] b = queue.take(); b != END; b = queue.take()) {
        if (failure == null) {
          try {
            target.write(b);
            if (b.length == CHUNK) {
              free.add(b);
            }
          } catch (Throwable t) {
            failure = t;
          }
        }
      }
      if (failure == null) {
        target.close();
      }
    } catch (Throwable t) {
      if (failure == null) {
        failure = t;
      }
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (n == buf.length) {
      hand();
    }
    buf[n++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (n == buf.length) {
        hand();
      }
      int k = Math.min(len, buf.length - n);
      System.arraycopy(b, off, buf, n, k);
      n += k;
      off += k;
      len -= k;
    }
  }

  private void hand() throws IOException {
    check();
    byte[] chunk = n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
    put(chunk);
    byte[] reused = free.poll();
    buf = reused != null ? reused : new byte[CHUNK];
    n = 0;
  }

  private void put(byte[] chunk) throws IOException {
    try {
      queue.put(chunk);
    } catch (InterruptedException e) {
      throw interrupted(worker, "layer writing interrupted");
    }
  }

  private void check() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t != null) {
      throw new IOException(t);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (n > 0) {
      hand();
    }
    put(END);
    try {
      worker.join();
    } catch (InterruptedException e) {
      throw interrupted(worker, "layer writing interrupted");
    }
    check();
  }

  /**
   * What a thread interrupted while it waits on {@code worker} throws: its own interrupt status is
   * kept and the worker is interrupted too, so neither is left waiting for the other.
   */
  static InterruptedIOException interrupted(Thread worker, String what) {
    Thread.currentThread().interrupt();
    worker.interrupt();
    return new InterruptedIOException(what);
  }
}
