package dev.gantry.plan;

import dev.gantry.ast.Add;
import dev.gantry.ast.Arg;
import dev.gantry.ast.ArgDefinition;
import dev.gantry.ast.Cmd;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Entrypoint;
import dev.gantry.ast.Env;
import dev.gantry.ast.Expose;
import dev.gantry.ast.ExposedPorts;
import dev.gantry.ast.Healthcheck;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.KeyValue;
import dev.gantry.ast.Label;
import dev.gantry.ast.Maintainer;
import dev.gantry.ast.Onbuild;
import dev.gantry.ast.Run;
import dev.gantry.ast.Shell;
import dev.gantry.ast.SourceContent;
import dev.gantry.ast.StopSignal;
import dev.gantry.ast.User;
import dev.gantry.ast.Volume;
import dev.gantry.ast.Workdir;
import dev.gantry.expand.ExpansionException;
import dev.gantry.expand.ShellLexer;
import dev.gantry.oci.ContainerConfig;
import dev.gantry.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans the steps of one stage: expands each instruction with the ARG/ENV values visible at its
 * line, folds metadata into the container config, and chains the cache keys. Mutable and used by
 * one thread for one stage; its output ({@link PlannedStep}s) is immutable.
 */
final class StagePlanner {
  private final PlanContext ctx;
  private final String stageName;
  private final Platform platform;
  private final ShellLexer lexer;
  private final ShellLexer rawLexer = ShellLexer.standard().skipProcessQuotes(true);
  final StageState state;
  private CacheKey parent;
  private final List<PlannedStep> steps = new ArrayList<>();
  /** The expansion environment: a live view of the state's variables. */
  private final dev.gantry.expand.Env vars;
  private Map<String, String> argChanges;
  private Map<String, String> envChanges;

  StagePlanner(PlanContext ctx, String stageName, Platform platform, StageState initial, CacheKey baseKey) {
    this.ctx = ctx;
    this.stageName = stageName;
    this.platform = platform;
    this.lexer = ShellLexer.withEscape(ctx.dockerfile().escape());
    this.state = initial;
    this.parent = baseKey;
    this.vars = initial.variables();
  }

  /** Plans {@code instructions} (ONBUILD triggers first, then the stage's own). */
  List<PlannedStep> plan(List<Instruction> instructions, int stageIndex) throws IOException {
    int count = instructions.size();
    int number = 0;
    for (Instruction ins : instructions) {
      number++;
      StepOutcome o;
      argChanges = new TreeMap<>();
      envChanges = new TreeMap<>();
      try {
        o = dispatch(ins, stageIndex);
      } catch (ExpansionException e) {
        throw ctx.error(ins, e.getMessage(), e.sizeLimit() ? StageState.LARGE_DATA_HINT
            : "quote the value or escape the $ to keep it literal");
      } catch (StageState.LimitException e) {
        throw ctx.error(ins, e.getMessage(), e.hint());
      } catch (IllegalArgumentException e) {
        throw ctx.error(ins, e.getMessage(), null);
      }
      Map<String, Object> preimage = new TreeMap<>();
      preimage.put("parent", parent.digest().toString());
      preimage.put("platform", platform.toString());
      preimage.put("instruction", o.canonical());
      // only what this step defines: the parent key stands for everything defined before it
      preimage.put("args", argChanges);
      preimage.put("env", envChanges);
      preimage.put("user", state.config.user());
      preimage.put("workdir", state.config.workingDir());
      java.time.Instant clamp = ctx.options().rewriteTimestamp();
      preimage.put("timestamps", clamp == null ? "keep" : "rewrite to " + clamp);
      if (o.action() instanceof StepAction.CopyFiles c) {
        preimage.put("inputs", ctx.inputs(c.spec(), ins));
      }
      CacheKey key = CacheKey.of(preimage);
      steps.add(new PlannedStep(stageName, number, count, o.text(), ins.range(), ins, key, o.action(),
          o.createdBy()));
      parent = key;
    }
    return List.copyOf(steps);
  }

  private String word(String w) {
    return lexer.processWord(w, vars).value();
  }

  private StepOutcome dispatch(Instruction ins, int stageIndex) throws IOException {
    if (ins instanceof Env e) {
      List<String> parts = new ArrayList<>();
      Map<String, String> expanded = new LinkedHashMap<>();
      for (KeyValue kv : e.pairs()) {
        expanded.put(word(kv.key()), word(kv.value()));
      }
      for (Map.Entry<String, String> kv : expanded.entrySet()) {
        state.setVariable(kv.getKey(), kv.getValue());
        state.setConfigEnv(kv.getKey(), kv.getValue());
        envChanges.put(kv.getKey(), kv.getValue());
        parts.add(kv.getKey() + "=" + kv.getValue());
      }
      return meta("ENV " + String.join(" ", parts), Map.of("ENV", List.copyOf(parts)));
    }
    if (ins instanceof Label l) {
      List<String> parts = new ArrayList<>();
      for (KeyValue kv : l.pairs()) {
        String k = word(kv.key());
        String v = word(kv.value());
        state.setLabel(k, v);
        parts.add(k + "=" + v);
      }
      return meta("LABEL " + String.join(" ", parts), Map.of("LABEL", List.copyOf(parts)));
    }
    if (ins instanceof Arg a) {
      List<String> parts = new ArrayList<>();
      for (ArgDefinition def : a.args()) {
        String dflt = def.defaultValue() == null ? null : word(def.defaultValue());
        state.args = state.args.declare(def.key(), dflt);
        ctx.consumed(def.key());
        String value = state.args.declared().get(def.key());
        if (value != null) {
          state.setVariable(def.key(), value);
          argChanges.put(def.key(), value);
        }
        parts.add(value == null ? def.key() : def.key() + "=" + value);
      }
      return meta("ARG " + String.join(" ", parts), Map.of("ARG", List.copyOf(parts)));
    }
    if (ins instanceof Cmd c) {
      List<String> args = c.command().prependShell()
          ? Metadata.withShell(state.config, c.command().args()) : c.command().args();
      state.config = state.config.withCmd(args).withArgsEscaped(c.command().prependShell() || state.config.argsEscaped());
      state.cmdSet = true;
      return meta("CMD " + Metadata.goQuoteList(args), Map.of("CMD", args));
    }
    if (ins instanceof Entrypoint en) {
      List<String> args = en.command().prependShell()
          ? Metadata.withShell(state.config, en.command().args()) : en.command().args();
      state.config = state.config.withEntrypoint(args);
      if (!state.cmdSet) {
        state.config = state.config.withCmd(List.of());
      }
      return meta("ENTRYPOINT " + Metadata.goQuoteList(args), Map.of("ENTRYPOINT", args));
    }
    if (ins instanceof Shell s) {
      state.config = state.config.withShell(s.shell());
      return meta("SHELL " + Metadata.goList(s.shell()), Map.of("SHELL", s.shell()));
    }
    if (ins instanceof Expose e) {
      List<String> words = new ArrayList<>();
      for (String p : e.ports()) {
        words.addAll(lexer.processWords(p, vars));
      }
      List<String> ports = ExposedPorts.normalize(words);
      state.config = Metadata.expose(state.config, ports);
      return meta("EXPOSE " + Metadata.goList(words), Map.of("EXPOSE", ports));
    }
    if (ins instanceof Volume v) {
      List<String> paths = new ArrayList<>();
      for (String p : v.paths()) {
        String x = word(p);
        if (x.isEmpty()) {
          throw new IllegalArgumentException("VOLUME specified can not be an empty string");
        }
        paths.add(x);
      }
      state.config = Metadata.volume(state.config, paths);
      return meta("VOLUME " + Metadata.goList(paths), Map.of("VOLUME", paths));
    }
    if (ins instanceof User u) {
      String user = word(u.user());
      state.config = state.config.withUser(user);
      return meta("USER " + user, Map.of("USER", user));
    }
    if (ins instanceof StopSignal s) {
      String sig = word(s.signal());
      if (!Signals.valid(sig)) {
        throw new IllegalArgumentException("Invalid signal: " + sig);
      }
      state.config = state.config.withStopSignal(sig);
      return meta("STOPSIGNAL " + sig, Map.of("STOPSIGNAL", sig));
    }
    if (ins instanceof Workdir w) {
      String wd = Metadata.workdir(state.config.workingDir(), word(w.path()));
      state.config = state.config.withWorkingDir(wd);
      StepAction action = wd.equals("/") ? new StepAction.ConfigOnly()
          : new StepAction.MakeDirectory(wd, state.config.user().isEmpty() ? null : state.config.user());
      return new StepOutcome("WORKDIR " + wd, Map.of("WORKDIR", wd), action, "WORKDIR " + wd);
    }
    if (ins instanceof Maintainer m) {
      state.author = m.maintainer();
      return meta("MAINTAINER " + m.maintainer(), Map.of("MAINTAINER", m.maintainer()));
    }
    if (ins instanceof Healthcheck h) {
      ContainerConfig.Healthcheck hc = new ContainerConfig.Healthcheck(h.test(), h.interval(), h.timeout(),
          h.startPeriod(), h.startInterval(), h.retries());
      state.config = state.config.withHealthcheck(hc);
      return meta("HEALTHCHECK " + Metadata.goQuoteList(h.test()), Map.of("HEALTHCHECK", Map.of(
          "test", h.test(), "interval", h.interval().toNanos(), "timeout", h.timeout().toNanos(),
          "startPeriod", h.startPeriod().toNanos(), "startInterval", h.startInterval().toNanos(),
          "retries", h.retries())));
    }
    if (ins instanceof Onbuild o) {
      List<String> triggers = new ArrayList<>(state.config.onBuild());
      triggers.add(o.expression());
      state.config = state.config.withOnBuild(triggers);
      return meta("ONBUILD " + o.expression(), Map.of("ONBUILD", o.expression()));
    }
    if (ins instanceof Copy c) {
      return copy(false, c.sources(), c.contents(), c.destination(), c.chown(), c.chmod(), c.link(),
          c.parents(), c.excludes(), null, null, ctx.source(stageIndex, ins));
    }
    if (ins instanceof Add a) {
      return copy(true, a.sources(), a.contents(), a.destination(), a.chown(), a.chmod(), a.link(), false,
          a.excludes(), a.checksum(), a.unpack(), null);
    }
    if (ins instanceof Run r) {
      return RunPlanning.plan(r, state, ctx, stageIndex, this::word);
    }
    throw new IllegalArgumentException(ins.instructionName() + " cannot appear inside a stage");
  }

  private String fromName(StageRef from) {
    if (from instanceof StageRef.OfStage s) {
      return ctx.dockerfile().stages().get(s.index()).name().orElse(String.valueOf(s.index()));
    }
    if (from instanceof StageRef.OfContext c) {
      return c.name();
    }
    return ((StageRef.OfImage) from).reference();
  }

  private StepOutcome meta(String createdBy, Map<String, Object> canonical) {
    return new StepOutcome(createdBy, canonical, new StepAction.ConfigOnly(), createdBy);
  }

  private StepOutcome copy(boolean add, List<String> rawSources, List<SourceContent> contents, String rawDest,
      String rawChown, String rawChmod, boolean link, boolean parents, List<String> rawExcludes, String rawChecksum,
      Boolean unpack, StageRef from) {
    List<String> sources = new ArrayList<>();
    for (String s : rawSources) {
      sources.add(word(s));
    }
    String dest = word(rawDest);
    String chown = rawChown == null ? null : word(rawChown);
    String chmod = rawChmod == null ? null : word(rawChmod);
    String checksum = rawChecksum == null ? null : word(rawChecksum);
    List<String> excludes = new ArrayList<>();
    for (String e : rawExcludes) {
      excludes.add(word(e));
    }
    List<CopySpec.Inline> inline = new ArrayList<>();
    for (SourceContent sc : contents) {
      String data = sc.expand() ? rawLexer.processWord(sc.data(), vars).value() : sc.data();
      inline.add(new CopySpec.Inline(sc.path(), data));
    }
    if (chmod != null) {
      Modes.validate(chmod);
    }
    String absDest = CopyPaths.destination(state.config.workingDir(), dest);
    CopySpec spec = new CopySpec(add, from, sources, inline, absDest, chown, chmod, link, parents, excludes,
        checksum, unpack);
    StringBuilder createdBy = new StringBuilder(add ? "ADD" : "COPY");
    if (parents) {
      createdBy.append(" --parents");
    }
    if (chown != null) {
      createdBy.append(" --chown=").append(chown);
    }
    if (chmod != null) {
      createdBy.append(" --chmod=").append(chmod);
    }
    for (String s : sources) {
      createdBy.append(' ').append(s);
    }
    for (CopySpec.Inline i : inline) {
      createdBy.append(" <<").append(i.path());
    }
    createdBy.append(' ').append(dest);
    String text = createdBy.toString();
    String shown = from == null && !link ? text
        : text.replaceFirst("^(COPY|ADD)", "$1" + (from == null ? "" : " --from=" + fromName(from))
            + (link ? " --link" : ""));
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("op", add ? "ADD" : "COPY");
    canonical.put("from", from == null ? "context" : from.toString());
    canonical.put("sources", sources);
    canonical.put("inline", inline.stream().map(i -> Map.of("path", i.path(), "data", i.data())).toList());
    canonical.put("dest", absDest);
    canonical.put("chown", chown == null ? "" : chown);
    canonical.put("chmod", chmod == null ? "" : chmod);
    canonical.put("link", link);
    canonical.put("parents", parents);
    canonical.put("excludes", excludes);
    canonical.put("checksum", checksum == null ? "" : checksum);
    canonical.put("unpack", unpack == null ? "default" : unpack.toString());
    return new StepOutcome(shown, canonical, new StepAction.CopyFiles(spec), text + " # buildkit");
  }
}
