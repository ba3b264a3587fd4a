package dev.gantry.exec;

import dev.gantry.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the OCI runtime {@code config.json} of a RUN container: the process (args, env, cwd, uid,
 * gid, supplementary groups, no terminal, default capabilities), the root, hostname {@code
 * buildkitsandbox}, mounts ({@code /proc}, a tmpfs {@code /dev} with the standard devices,
 * {@code /dev/pts}, {@code /dev/shm}, {@code /dev/mqueue}, read-only {@code /sys}, read-only
 * {@code /etc/hosts} and {@code /etc/resolv.conf}, extra read-only files) and namespaces (pid, ipc,
 * uts, mount; network only for {@code --network=none}). For a build in a user namespace there is
 * no device cgroup, {@code /dev/pts} gets no {@code gid=5} (the id may not be mapped), and
 * {@code /sys} is bound from the host when the command shares the network namespace (only its
 * owner may mount sysfs).
 */
final class RuntimeSpec {
  static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  /** Every capability of Linux 6.x, indexed by number, for {@code --security=insecure}. */
  static final List<String> ALL_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
      "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
      "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
      "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
      "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
      "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");
  private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
      "/proc/scsi");
  private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");

  private RuntimeSpec() {}

  /** The mount points the runtime may create in the root: they are not part of a RUN's layer when it did. */
  static final List<String> STUBS = List.of("/proc", "/dev", "/sys", "/etc/hosts", "/etc/resolv.conf", "/etc");

  /**
   * The JSON text of the config for {@code p} with root {@code rootfs}, hosts/resolv.conf from the
   * given files. Written by Gantry's own JSON writer from plain maps: a RUN sets up no Jackson mapper.
   */
  static byte[] write(ContainerProcess p, Path rootfs, Path hosts, Path resolvConf, boolean userNamespace) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("ociVersion", "1.0.2");
    Map<String, Object> proc = new LinkedHashMap<>();
    c.put("process", proc);
    proc.put("terminal", false);
    Map<String, Object> user = new LinkedHashMap<>();
    proc.put("user", user);
    user.put("uid", p.user().uid());
    user.put("gid", p.user().gid());
    if (!p.user().additionalGids().isEmpty()) {
      user.put("additionalGids", List.copyOf(p.user().additionalGids()));
    }
    proc.put("args", List.copyOf(p.args()));
    proc.put("env", List.copyOf(p.effectiveEnv()));
    proc.put("cwd", p.cwd());
    Map<String, Object> caps = new LinkedHashMap<>();
    for (String set : List.of("bounding", "effective", "permitted")) {
      caps.put(set, p.privileged() ? hostCaps() : CAPS);
    }
    proc.put("capabilities", caps);
    proc.put("rlimits", List.of(object("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)));
    proc.put("noNewPrivileges", false);
    c.put("root", object("path", rootfs.toAbsolutePath().toString(), "readonly", false));
    c.put("hostname", ContainerProcess.HOSTNAME);
    List<Object> mounts = new ArrayList<>();
    c.put("mounts", mounts);
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(mounts, "/dev/pts", "devpts", "devpts", userNamespace
        ? List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
        : List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    if (userNamespace && p.network() != ContainerProcess.Network.NONE) {
      // sysfs may be mounted only by the owner of the network namespace: the host's is bound instead
      mount(mounts, "/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"));
    } else {
      mount(mounts, "/sys", "sysfs", "sysfs", p.privileged() ? List.of("nosuid", "noexec", "nodev")
          : List.of("nosuid", "noexec", "nodev", "ro"));
    }
    mount(mounts, "/etc/hosts", "bind", hosts.toAbsolutePath().toString(), List.of("rbind", "ro"));
    mount(mounts, "/etc/resolv.conf", "bind", resolvConf.toAbsolutePath().toString(), List.of("rbind", "ro"));
    for (Map.Entry<String, Path> f : new TreeMap<>(p.files()).entrySet()) {
      mount(mounts, f.getKey(), "bind", f.getValue().toAbsolutePath().toString(), List.of("rbind", "ro"));
    }
    for (MountPoint m : p.mounts()) {
      mount(mounts, m.destination(), m.type(), m.source(), m.options());
    }
    Map<String, Object> linux = new LinkedHashMap<>();
    c.put("linux", linux);
    List<String> types = p.network() == ContainerProcess.Network.NONE
        ? List.of("pid", "ipc", "uts", "mount", "network") : List.of("pid", "ipc", "uts", "mount");
    linux.put("namespaces", types.stream().map(t -> object("type", t)).toList());
    if (!p.privileged()) {
      linux.put("maskedPaths", MASKED);
      linux.put("readonlyPaths", READONLY);
    }
    if (!userNamespace) {
      linux.put("resources", object("devices", List.of(object("allow", p.privileged(), "access", "rwm"))));
    }
    return Json.writeValue(c).getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON object of the given keys and values, in that order. */
  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** The capabilities in this process's bounding set (the most a privileged container can get). */
  private static List<String> hostCaps() {
    long bounding = -1L;
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) {
          bounding = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return CAPS;
    }
    List<String> out = new java.util.ArrayList<>();
    for (int bit = 0; bit < ALL_CAPS.size(); bit++) {
      if ((bounding & (1L << bit)) != 0) {
        out.add(ALL_CAPS.get(bit));
      }
    }
    return out;
  }

  private static void mount(List<Object> mounts, String dest, String type, String source, List<String> options) {
    mounts.add(object("destination", dest, "type", type, "source", source, "options", List.copyOf(options)));
  }
}
