package dev.gantry.exec;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Runs a RUN's process: empty stdin, stdout and stderr merged and handed over line by line, the
 * last lines kept for the error message; an interrupt of the calling thread ends it.
 */
final class ProcessLines {
  private static final int TAIL = 10;

  private ProcessLines() {}

  /**
   * Starts {@code pb} and waits for it; on interrupt runs {@code kill}, destroys the process and
   * its descendants, and throws naming {@code what}.
   */
  static Runc.Exit run(ProcessBuilder pb, Consumer<String> output, Runnable kill, String what) throws IOException {
    Process proc = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> pump(proc, output, tail), "gantry-run-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int code = proc.waitFor();
      reader.join();
      synchronized (tail) {
        return new Runc.Exit(code, new ArrayList<>(tail));
      }
    } catch (InterruptedException e) {
      kill.run();
      proc.descendants().forEach(ProcessHandle::destroyForcibly);
      proc.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("RUN cancelled; " + what + " killed");
    }
  }

  private static void pump(Process proc, Consumer<String> output, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL) {
            tail.removeFirst();
          }
        }
        output.accept(line);
      }
    } catch (IOException e) {
      // the process ended or was killed: nothing more to read
    }
  }
}
