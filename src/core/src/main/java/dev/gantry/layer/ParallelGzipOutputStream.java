package dev.gantry.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose deflate work runs on all cores, with output that depends only on the input.
 *
 * <p>The input is cut into blocks of {@link #BLOCK} bytes. Each block is deflated on its own (no
 * matches across blocks) and ends with a sync flush, the last one with the final block; the pieces
 * are concatenated in order between one gzip header and one trailer, so the result is a single
 * ordinary gzip member that any gunzip reads. Block boundaries are fixed by byte count, never by
 * timing, so the same input always gives the same bytes, whatever the number of threads. A stream
 * shorter than one block whose data compresses normally (text, code) gives exactly the bytes of a
 * plain single-threaded gzip at the same level.
 *
 * <p>Each block's method follows from a few small samples of it ({@link #method}): a block that does
 * not compress (already-compressed data: jar files, archives, images, random bytes) is stored; a
 * block whose bytes repeat few strings (base64 or hex text, tar streams of such files) is
 * Huffman-coded without string matching when that comes within 2% of level 6 on the samples, at
 * several times the speed; everything else (text, machine code) is deflated at the stream's level.
 * The choice depends only on the bytes, so the output stays reproducible.
 *
 * <p>The header is the one a deterministic gzip writer produces: no name, modification time 0,
 * operating system 255. Used by one writer thread; not thread-safe.
 */
final class ParallelGzipOutputStream extends OutputStream {
  /** Uncompressed bytes per independently deflated block. */
  static final int BLOCK = 1 << 20;
  private static final int SAMPLES = 4;
  private static final int SAMPLE = 4096;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "gantry-gzip");
        t.setDaemon(true);
        return t;
      });
  private static final int IN_FLIGHT = 2 * Math.max(1, Runtime.getRuntime().availableProcessors()) + 1;

  private final OutputStream target;
  private final int level;
  private final CRC32 crc = new CRC32();
  private final Deque<Future<Slot>> pending = new ArrayDeque<>();
  /** Slots whose output has been written: reused, so a large layer allocates no more than IN_FLIGHT of them. */
  private final Deque<Slot> free = new ArrayDeque<>();
  private Slot slot = new Slot();
  private int n;
  private long total;
  private boolean closed;

  /** A stream that writes gzip at {@code level} (1..9) to {@code target}; closing it closes target. */
  ParallelGzipOutputStream(OutputStream target, int level) throws IOException {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level " + level);
    }
    this.target = target;
    this.level = level;
    int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
    target.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, (byte) 255});
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      int k = Math.min(len, BLOCK - n);
      System.arraycopy(b, off, slot.in, n, k);
      n += k;
      off += k;
      len -= k;
      if (n == BLOCK) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    Slot s = slot;
    int len = n;
    crc.update(s.in, 0, len);
    total += len;
    pending.add(POOL.submit(() -> s.deflate(len, last, level)));
    slot = last ? null : free.isEmpty() ? new Slot() : free.removeFirst();
    n = 0;
    while (pending.size() > IN_FLIGHT) {
      drainOne();
    }
  }

  private void drainOne() throws IOException {
    Future<Slot> f = pending.removeFirst();
    try {
      Slot done = f.get();
      target.write(done.out, 0, done.outLen);
      free.add(done);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelAll();
      throw new InterruptedIOException("compression interrupted");
    } catch (ExecutionException e) {
      cancelAll();
      throw new IOException("compression failed", e.getCause());
    }
  }

  private void cancelAll() {
    pending.forEach(p -> p.cancel(true));
    pending.clear();
  }

  /** One block's input and, once deflated, its output; reused for later blocks. */
  private static final class Slot {
    final byte[] in = new byte[BLOCK];
    byte[] out = new byte[BLOCK + (BLOCK >> 3) + 1024];
    int outLen;

    Slot deflate(int len, boolean last, int level) {
      Method m = method(in, len);
      Deflater d = new Deflater(m == Method.STORE ? Deflater.NO_COMPRESSION : level, true);
      if (m == Method.HUFFMAN) {
        d.setStrategy(Deflater.HUFFMAN_ONLY);
      }
      try {
        d.setInput(in, 0, len);
        if (last) {
          d.finish();
        }
        int size = 0;
        while (true) {
          size += d.deflate(out, size, out.length - size, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
          // not done before every input byte is taken (a first call may only apply the strategy)
          if (last ? d.finished() : size < out.length && d.needsInput()) {
            outLen = size;
            return this;
          }
          if (size == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
          }
        }
      } finally {
        d.end();
      }
    }
  }

  /** How a block is compressed. */
  enum Method {
    /** Stored: deflate would save under 3%. */
    STORE,
    /** Huffman coding only: string matching would make the block under 2% smaller. */
    HUFFMAN,
    /** Deflate at the stream's level. */
    DEFLATE
  }

  /**
   * The method for a block, from a few samples of it. Data that does not compress at level 1 (jars,
   * archives, random bytes) is stored. Data with few repeated strings (base64 or hex text, tar
   * streams of such files) gains almost nothing from the string matching that makes up most of
   * deflate's work: when Huffman coding alone comes within 2% of level 6 on the samples, it gives
   * about the same size several times faster. The second test uses twice as many samples: a tar
   * header in one sample must not decide for the whole block.
   */
  static Method method(byte[] block, int len) {
    if (len < SAMPLES * SAMPLE * 4) {
      return Method.DEFLATE;
    }
    long in = (long) SAMPLES * SAMPLE;
    if (packed(block, len, SAMPLES, Deflater.BEST_SPEED, Deflater.DEFAULT_STRATEGY) * 100 >= in * 97) {
      return Method.STORE;
    }
    long deflated = packed(block, len, 2 * SAMPLES, 6, Deflater.DEFAULT_STRATEGY);
    long huffman = packed(block, len, 2 * SAMPLES, Deflater.BEST_SPEED, Deflater.HUFFMAN_ONLY);
    return (huffman - deflated) * 100 <= 2 * (2 * in) ? Method.HUFFMAN : Method.DEFLATE;
  }

  /** The deflated size, at {@code level} with {@code strategy}, of {@code samples} samples of a block. */
  private static long packed(byte[] block, int len, int samples, int level, int strategy) {
    Deflater probe = new Deflater(level, true);
    probe.setStrategy(strategy);
    try {
      byte[] out = new byte[SAMPLE * 2];
      long packed = 0;
      for (int i = 0; i < samples; i++) {
        probe.reset();
        probe.setInput(block, (int) ((long) len * i / samples), SAMPLE);
        probe.finish();
        int k = 0;
        while (!probe.finished()) {
          k += probe.deflate(out, k, out.length - k);
        }
        packed += k;
      }
      return packed;
    } finally {
      probe.end();
    }
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      submit(true);
      closed = true;
      while (!pending.isEmpty()) {
        drainOne();
      }
      long c = crc.getValue();
      target.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
          (byte) total, (byte) (total >>> 8), (byte) (total >>> 16), (byte) (total >>> 24)});
    } finally {
      closed = true;
      cancelAll();
      target.close();
    }
  }
}
