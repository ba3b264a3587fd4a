package dev.gantry.oci;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Independent I/O tasks run side by side: blobs fetched or pushed, layers unpacked. */
public final class IoTasks {
  /** One task. */
  @FunctionalInterface
  public interface Task {
    void run() throws IOException;
  }

  private IoTasks() {}

  /**
   * Runs each task it is given on a daemon thread of its own named {@code name}: for one piece of
   * background work ({@code CompletableFuture.supplyAsync(work, IoTasks.ownThread(name))}) that the
   * caller overlaps with its own and waits for later.
   */
  public static Executor ownThread(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      t.start();
    };
  }

  /**
   * Runs {@code tasks}, at most {@code parallelism} at a time on daemon threads named {@code name}
   * (in this thread when there is only one task), and waits for them. At the first failure the
   * others are cancelled (interrupted) and the failure is thrown: an {@link IOException} as thrown,
   * anything else wrapped.
   */
  public static void runAll(List<Task> tasks, int parallelism, String name) throws IOException {
    if (tasks.size() <= 1 || parallelism <= 1) {
      for (Task t : tasks) {
        t.run();
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    CompletionService<Void> done = new ExecutorCompletionService<>(pool);
    try {
      for (Task t : tasks) {
        done.submit(() -> {
          t.run();
          return null;
        });
      }
      // in the order they end, so that a failure is seen while slower tasks still run
      for (int i = 0; i < tasks.size(); i++) {
        try {
          done.take().get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
