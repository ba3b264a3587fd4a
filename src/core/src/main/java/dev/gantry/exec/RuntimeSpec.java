package dev.gantry.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
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
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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

  /** The JSON text of the config for {@code p} with root {@code rootfs}, hosts/resolv.conf from the given files. */
  static byte[] write(ContainerProcess p, Path rootfs, Path hosts, Path resolvConf, boolean userNamespace)
      throws java.io.IOException {
    ObjectNode c = JSON.createObjectNode();
    c.put("ociVersion", "1.0.2");
    ObjectNode proc = c.putObject("process");
    proc.put("terminal", false);
    ObjectNode user = proc.putObject("user");
    user.put("uid", p.user().uid());
    user.put("gid", p.user().gid());
    if (!p.user().additionalGids().isEmpty()) {
      ArrayNode g = user.putArray("additionalGids");
      p.user().additionalGids().forEach(g::add);
    }
    strings(proc.putArray("args"), p.args());
    strings(proc.putArray("env"), p.effectiveEnv());
    proc.put("cwd", p.cwd());
    ObjectNode caps = proc.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), p.privileged() ? hostCaps() : CAPS);
    }
    ObjectNode rl = proc.putArray("rlimits").addObject();
    rl.put("type", "RLIMIT_NOFILE");
    rl.put("hard", 1024);
    rl.put("soft", 1024);
    proc.put("noNewPrivileges", false);
    ObjectNode root = c.putObject("root");
    root.put("path", rootfs.toAbsolutePath().toString());
    root.put("readonly", false);
    c.put("hostname", ContainerProcess.HOSTNAME);
    ArrayNode mounts = c.putArray("mounts");
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
    ObjectNode linux = c.putObject("linux");
    ArrayNode ns = linux.putArray("namespaces");
    List<String> types = p.network() == ContainerProcess.Network.NONE
        ? List.of("pid", "ipc", "uts", "mount", "network") : List.of("pid", "ipc", "uts", "mount");
    types.forEach(t -> ns.addObject().put("type", t));
    if (!p.privileged()) {
      strings(linux.putArray("maskedPaths"), MASKED);
      strings(linux.putArray("readonlyPaths"), READONLY);
    }
    if (!userNamespace) {
      linux.putObject("resources").putArray("devices").addObject().put("allow", p.privileged()).put("access", "rwm");
    }
    return JSON.writeValueAsBytes(c);
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

  private static void mount(ArrayNode mounts, String dest, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", dest);
    m.put("type", type);
    m.put("source", source);
    strings(m.putArray("options"), options);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
