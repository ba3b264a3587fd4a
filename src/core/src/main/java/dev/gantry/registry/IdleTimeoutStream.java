package dev.gantry.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when no byte arrives for a whole timeout: {@code java.net.http}'s
 * request timeout ends when the headers arrive, so a body that stalls would otherwise block a
 * read forever. A read blocked past the timeout closes the stream and throws.
 */
final class IdleTimeoutStream extends FilterInputStream {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gantry-registry-timeout");
    t.setDaemon(true);
    return t;
  });

  private final long timeoutMillis;
  private volatile boolean timedOut;

  IdleTimeoutStream(InputStream in, Duration timeout) {
    super(in);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  @Override
  public int read() throws IOException {
    ScheduledFuture<?> alarm = arm();
    try {
      return super.read();
    } catch (IOException e) {
      throw timedOut ? stalled(e) : e;
    } finally {
      alarm.cancel(false);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    ScheduledFuture<?> alarm = arm();
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw timedOut ? stalled(e) : e;
    } finally {
      alarm.cancel(false);
    }
  }

  private ScheduledFuture<?> arm() {
    return TIMER.schedule(() -> {
      timedOut = true;
      try {
        in.close();
      } catch (IOException e) {
        // the blocked read fails either way
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private IOException stalled(IOException cause) {
    return new IOException("no data for " + timeoutMillis + " ms while reading the response", cause);
  }
}
