package dev.gantry.oci;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code config} section of an image config: how a container runs (OCI fields plus Docker's
 * Healthcheck, OnBuild and Shell extensions).
 *
 * <p>This class is immutable. Strings are empty and collections empty when unset; {@code healthcheck}
 * may be null. {@code extra} holds fields Gantry does not model, as raw JSON text, so a config read
 * from elsewhere keeps them when written back.
 */
public record ContainerConfig(String user, Set<String> exposedPorts, List<String> env,
    List<String> entrypoint, List<String> cmd, Set<String> volumes, String workingDir,
    Map<String, String> labels, String stopSignal, boolean argsEscaped, Healthcheck healthcheck,
    List<String> onBuild, List<String> shell, Map<String, String> extra) {

  /** The empty config. */
  public static final ContainerConfig EMPTY = new ContainerConfig("", Set.of(), List.of(), List.of(),
      List.of(), Set.of(), "", Map.of(), "", false, null, List.of(), List.of(), Map.of());

  public ContainerConfig {
    user = nz(user);
    exposedPorts = sortedSet(exposedPorts);
    env = listOrEmpty(env);
    entrypoint = listOrEmpty(entrypoint);
    cmd = listOrEmpty(cmd);
    volumes = sortedSet(volumes);
    workingDir = nz(workingDir);
    labels = Descriptor.sortedCopy(labels);
    stopSignal = nz(stopSignal);
    onBuild = listOrEmpty(onBuild);
    shell = listOrEmpty(shell);
    extra = Descriptor.sortedCopy(extra);
  }

  /**
   * Docker's health check: the test command and its timings (durations are written as Go
   * nanoseconds; zero means "inherit").
   */
  public record Healthcheck(List<String> test, Duration interval, Duration timeout,
      Duration startPeriod, Duration startInterval, int retries) {
    public Healthcheck {
      test = listOrEmpty(test);
      interval = interval == null ? Duration.ZERO : interval;
      timeout = timeout == null ? Duration.ZERO : timeout;
      startPeriod = startPeriod == null ? Duration.ZERO : startPeriod;
      startInterval = startInterval == null ? Duration.ZERO : startInterval;
    }
  }

  /** A copy with this user. */
  public ContainerConfig withUser(String v) {
    return new ContainerConfig(v, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with these exposed ports (like {@code 80/tcp}). */
  public ContainerConfig withExposedPorts(Set<String> v) {
    return new ContainerConfig(user, v, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this environment ({@code NAME=value} entries). */
  public ContainerConfig withEnv(List<String> v) {
    return new ContainerConfig(user, exposedPorts, v, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this entrypoint. */
  public ContainerConfig withEntrypoint(List<String> v) {
    return new ContainerConfig(user, exposedPorts, env, v, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this command. */
  public ContainerConfig withCmd(List<String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, v, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with these volumes. */
  public ContainerConfig withVolumes(Set<String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, v, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this working directory. */
  public ContainerConfig withWorkingDir(String v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, v, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with these labels. */
  public ContainerConfig withLabels(Map<String, String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, v,
        stopSignal, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this stop signal. */
  public ContainerConfig withStopSignal(String v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        v, argsEscaped, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this ArgsEscaped flag. */
  public ContainerConfig withArgsEscaped(boolean v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, v, healthcheck, onBuild, shell, extra);
  }

  /** A copy with this health check (null for none). */
  public ContainerConfig withHealthcheck(Healthcheck v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, v, onBuild, shell, extra);
  }

  /** A copy with these ONBUILD triggers. */
  public ContainerConfig withOnBuild(List<String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, v, shell, extra);
  }

  /** A copy with this shell. */
  public ContainerConfig withShell(List<String> v) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
        stopSignal, argsEscaped, healthcheck, onBuild, v, extra);
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  static List<String> listOrEmpty(List<String> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  private static Set<String> sortedSet(Set<String> s) {
    if (s == null || s.isEmpty()) {
      return Collections.emptySortedSet();
    }
    SortedSet<String> t = new TreeSet<>(JsonText.GO_KEY_ORDER);
    t.addAll(s);
    return Collections.unmodifiableSortedSet(t);
  }
}
