package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tasks run side by side, a single one in the caller's thread, and the first failure is thrown after the rest stopped. */
class IoTasksTest {
  @Test
  void tasksRunSideBySide() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    IoTasks.Task meet = () -> {
      both.countDown();
      try {
        // only reached when the other task runs at the same time
        if (!both.await(10, TimeUnit.SECONDS)) {
          throw new IOException("the other task did not run alongside");
        }
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    };
    IoTasks.runAll(List.of(meet, meet), 2, "test-io");
    assertThat(both.getCount()).isZero();
  }

  @Test
  void aSingleTaskRunsInTheCallersThread() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    IoTasks.runAll(List.of(() -> ran.set(Thread.currentThread())), 4, "test-io");
    assertThat(ran.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void theFirstFailureIsThrownAndTheOthersAreInterrupted() {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    IoTasks.Task slow = () -> {
      started.countDown();
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    };
    IoTasks.Task failing = () -> {
      try {
        started.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      throw new IOException("blob sha256:abc is damaged");
    };
    long start = System.nanoTime();
    assertThatThrownBy(() -> IoTasks.runAll(List.of(slow, failing), 2, "test-io"))
        .isInstanceOf(IOException.class).hasMessage("blob sha256:abc is damaged");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
    // the pool is shut down now: give the interrupted task a moment to note it
    for (int i = 0; i < 100 && !interrupted.get(); i++) {
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        break;
      }
    }
    assertThat(interrupted).isTrue();
  }
}
