package dev.gantry.plan;

import dev.gantry.ast.Mount;
import dev.gantry.ast.Mounts;
import dev.gantry.ast.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Plans the {@code --mount}s of a RUN as BuildKit's dispatchRunMounts does: options are expanded
 * and parsed again, targets are made absolute against the working directory, cache ids default to
 * the target and secret targets to {@code /run/secrets/<id>}. Each mount's part of the cache key
 * holds its options and, for bind mounts, the digests of the bound content (the result key of a
 * stage, the manifest of an image, per-file digests of a context); never a secret's value.
 */
final class RunMountPlanning {
  private RunMountPlanning() {}

  /** The planned mounts of a RUN and their canonical form for its cache key. */
  record Planned(List<RunMount> mounts, List<Object> canonical) {}

  static Planned plan(Run r, int stageIndex, String workdir, UnaryOperator<String> expand, PlanContext ctx) {
    List<RunMount> mounts = new ArrayList<>();
    List<Object> canonical = new ArrayList<>();
    StageRef from = null;
    for (Mount raw : r.mounts()) {
      Mount m = expanded(raw, expand);
      Map<String, Object> c = new TreeMap<>();
      c.put("type", m.type().value());
      RunMount planned;
      if (m instanceof Mount.Secret s) {
        String id = !s.source().isEmpty() ? s.source() : !s.id().isEmpty() ? s.id() : base(s.target());
        String target = s.target().isEmpty() ? (s.env() == null ? "/run/secrets/" + base(id) : null)
            : absolute(s.target(), workdir);
        planned = new RunMount.Secret(target, id, s.env(), s.required(), s.mode() == null ? 0400 : s.mode(),
            orZero(s.uid()), orZero(s.gid()));
      } else if (m instanceof Mount.Ssh s) {
        String id = s.id().isEmpty() ? "default" : s.id();
        String target = s.target().isEmpty() ? "/run/buildkit/ssh_agent." + countSsh(mounts)
            : absolute(s.target(), workdir);
        planned = new RunMount.Ssh(target, id, s.required(), s.mode() == null ? 0600 : s.mode(), orZero(s.uid()),
            orZero(s.gid()));
      } else {
        String target = absolute(m.target(), workdir);
        if (target.equals("/")) {
          throw new IllegalArgumentException("invalid mount target \"/\"");
        }
        String fromName = m instanceof Mount.Bind b ? b.from() : m instanceof Mount.Cache k ? k.from() : "";
        StageRef ref = null;
        if (!fromName.isEmpty()) {
          ref = ctx.source(stageIndex, r);
          if (from != null && !from.equals(ref)) {
            throw new IllegalArgumentException("RUN with mounts from two different sources is not supported;"
                + " use one --mount with from= per RUN");
          }
          from = ref;
        }
        if (m instanceof Mount.Cache k) {
          String id = k.id().isEmpty() ? clean(k.target()) : k.id();
          planned = new RunMount.Cache(target, id, k.sharing().value(), ref, "/" + relative(k.source()),
              k.readOnly(), k.mode() == null ? 0755 : k.mode(), orZero(k.uid()), orZero(k.gid()));
          if (ref != null) {
            c.put("seed", ctx.inputs(seedSpec(ref, k.source()), r));
          }
        } else if (m instanceof Mount.Bind b) {
          planned = new RunMount.Bind(target, ref, "/" + relative(b.source()), !b.readOnly());
          c.put("inputs", ctx.inputs(seedSpec(ref, b.source()), r));
        } else {
          planned = new RunMount.Tmpfs(target, ((Mount.Tmpfs) m).sizeBytes());
        }
        c.put("from", ref == null ? "" : ref.toString());
      }
      c.put("mount", planned.toString().replaceFirst("^[A-Za-z]+\\[", "["));
      mounts.add(planned);
      canonical.add(c);
    }
    return new Planned(List.copyOf(mounts), canonical);
  }

  /** The mount with its options expanded (BuildKit expands them before parsing them again). */
  private static Mount expanded(Mount m, UnaryOperator<String> expand) {
    boolean variables = m.options().values().stream().anyMatch(v -> v.indexOf('$') >= 0);
    if (!variables) {
      return m;
    }
    List<String> fields = new ArrayList<>();
    m.options().forEach((k, v) -> fields.add(csv(k + "=" + (k.equals("type") ? v : expand.apply(v)))));
    boolean fileOrSocket = m.type() == Mount.Type.SECRET || m.type() == Mount.Type.SSH;
    if (!m.options().keySet().stream().anyMatch(k -> k.equals("ro") || k.equals("readonly") || k.equals("rw")
        || k.equals("readwrite"))) {
      fields.add("readonly=" + m.readOnly());
    }
    if (fileOrSocket && !m.options().containsKey("required")) {
      boolean required = m instanceof Mount.Secret s ? s.required() : ((Mount.Ssh) m).required();
      fields.add("required=" + required);
    }
    return Mounts.parse(String.join(",", fields));
  }

  private static String csv(String field) {
    return field.indexOf(',') < 0 && field.indexOf('"') < 0 ? field : "\"" + field.replace("\"", "\"\"") + "\"";
  }

  /** A COPY-like spec of what a bind mount (or a cache seed) reads, to digest it as COPY inputs are. */
  private static CopySpec seedSpec(StageRef from, String source) {
    String rel = relative(source);
    return new CopySpec(false, from, List.of(rel.isEmpty() ? "." : rel), List.of(), "/", null, null, false, false,
        List.of(), null, null);
  }

  private static int countSsh(List<RunMount> mounts) {
    return (int) mounts.stream().filter(x -> x instanceof RunMount.Ssh).count();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static String absolute(String target, String workdir) {
    if (target.startsWith("/")) {
      return "/" + relative(target);
    }
    String dir = workdir == null || workdir.isEmpty() ? "/" : workdir;
    String joined = "/" + relative(dir + "/" + target);
    return joined;
  }

  /** The cleaned path without its leading slash ({@code ""} for the root); {@code ..} cannot climb above it. */
  static String relative(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }

  private static String clean(String path) {
    String rel = relative(path);
    return path.startsWith("/") ? "/" + rel : rel.isEmpty() ? "." : rel;
  }

  private static String base(String path) {
    String rel = relative(path);
    int slash = rel.lastIndexOf('/');
    return rel.isEmpty() ? "/" : rel.substring(slash + 1);
  }
}
