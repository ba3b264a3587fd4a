package dev.gantry.registry;

/**
 * A registry operation that failed for good: names the registry, the repository, the operation,
 * the last HTTP status (0 when no response arrived) and how many attempts were made. Messages
 * never contain credentials or tokens.
 */
public final class RegistryException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  private final String registry;
  private final String repository;
  private final String operation;
  private final int status;
  private final int attempts;
  private final String hint;

  /** A failure of {@code operation} on {@code registry/repository}. */
  public RegistryException(String registry, String repository, String operation, int status, int attempts,
      String detail, String hint, Throwable cause) {
    super(format(registry, repository, operation, status, attempts, detail), cause);
    this.registry = registry;
    this.repository = repository;
    this.operation = operation;
    this.status = status;
    this.attempts = attempts;
    this.hint = hint;
  }

  private static String format(String registry, String repository, String operation, int status, int attempts,
      String detail) {
    StringBuilder b = new StringBuilder(operation).append(" ").append(registry);
    if (repository != null) {
      b.append("/").append(repository);
    }
    b.append(" failed");
    b.append(status > 0 ? ": HTTP " + status : ": no response");
    if (detail != null && !detail.isBlank()) {
      b.append(" (").append(detail).append(")");
    }
    b.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
    return b.toString();
  }

  /** The registry host. */
  public String registry() {
    return registry;
  }

  /** The repository, or null for registry-wide operations. */
  public String repository() {
    return repository;
  }

  /** What was attempted, such as {@code "push blob sha256:..."}. */
  public String operation() {
    return operation;
  }

  /** The last HTTP status, or 0 when the registry never answered. */
  public int status() {
    return status;
  }

  /** How many requests were made. */
  public int attempts() {
    return attempts;
  }

  /** How to fix it, or null. */
  public String hint() {
    return hint;
  }
}
