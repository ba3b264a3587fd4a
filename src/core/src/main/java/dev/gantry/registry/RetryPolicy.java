package dev.gantry.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard a registry operation tries: attempts, exponential backoff between them, a total time
 * budget (a {@code Retry-After} that would exceed it fails the operation at once) and the
 * timeout of one request (until the response headers arrive).
 *
 * @param maxAttempts attempts per operation, at least 1
 * @param initialBackoff the wait before the second attempt; doubled each time
 * @param maxBackoff the longest wait between attempts (a Retry-After may ask for more, within budget)
 * @param budget the longest an operation may spend retrying
 * @param requestTimeout the timeout of one request
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration budget,
    Duration requestTimeout) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** 6 attempts, 250 ms doubling up to 8 s, within 2 minutes; 60 s per request. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofMinutes(2),
        Duration.ofSeconds(60));
  }

  /** The backoff before attempt {@code attempt + 1} (attempt counts from 1). */
  Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(20, attempt - 1);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
