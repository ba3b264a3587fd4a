package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Digest;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RUN --mount} through the public API with runc: cache mounts persist across builds, bind
 * mounts show stage and context files, tmpfs is in memory, secrets reach the command but no layer,
 * history, cache key or event, and ssh sockets are forwarded; none of their mount points is committed.
 */
class RunMountBuildTest {
  private static final String BASE = "FROM scratch\nADD base.tar /\n";
  private static final String SECRET = "S3CRET-VALUE-7f3a";
  @TempDir Path tmp;
  Path context;
  Path store;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws IOException {
    Tools.requireContainers();
    context = Files.createDirectories(tmp.resolve("ctx"));
    store = tmp.resolve("store");
    BusyboxRootfs.write(context.resolve("base.tar"));
  }

  private BuildResult build(String dockerfile, UnaryOperator<BuildRequest.Builder> options) throws Exception {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    events.clear();
    BuildRequest.Builder b = BuildRequest.builder(context).storeDirectory(store).listener(events::add)
        .compression(Compression.NONE).output(new Output.OciLayout(tmp.resolve("out")));
    return new Gantry().build(options.apply(b).build());
  }

  private List<String> output() {
    return events.stream().filter(e -> e instanceof BuildEvent.Output).map(e -> ((BuildEvent.Output) e).line())
        .toList();
  }

  private ImageSnapshot image() throws IOException {
    return ImageSnapshot.read(tmp.resolve("out"), null);
  }

  @Test
  void cacheMountKeepsItsContentAcrossBuildsAndNeverEntersTheImage() throws Exception {
    String df = BASE + "ARG N\nRUN --mount=type=cache,target=/var/cache/app,sharing=locked"
        + " echo run$N >> /var/cache/app/log && cat /var/cache/app/log && cat /var/cache/app/log > /seen\n";
    build(df, b -> b.buildArg("N", "1"));
    assertThat(output()).containsExactly("run1");
    build(df, b -> b.buildArg("N", "2"));
    assertThat(output()).containsExactly("run1", "run2");
    assertThat(image().files()).containsKey("seen").doesNotContainKeys("var/cache/app", "var/cache/app/log",
        "var/cache", "var");
    String shared = BASE + "RUN --mount=type=cache,id=other,target=/c,uid=1000,mode=0700 stat -c '%u %a' /c"
        + " && ls /c\n";
    build(shared, b -> b);
    assertThat(output()).containsExactly("1000 700");
    assertThat(image().files()).doesNotContainKey("c");
  }

  @Test
  void bindMountsShowStageAndContextFilesWithoutCommittingThemAndTheContextDigestIsInTheKey() throws Exception {
    Files.writeString(context.resolve("data.txt"), "from-context\n");
    String df = "FROM scratch AS src\nADD base.tar /\nRUN echo from-stage > /made\n"
        + BASE + "RUN --mount=type=bind,from=src,source=/made,target=/m/made"
        + " --mount=type=bind,source=data.txt,target=/d/data.txt cat /m/made /d/data.txt && touch /out\n"
        + "RUN --mount=type=bind,target=/ctx,rw echo changed > /ctx/data.txt && cat /ctx/data.txt\n";
    BuildResult first = build(df, b -> b);
    assertThat(output()).containsExactly("from-stage", "from-context", "changed");
    assertThat(Files.readString(context.resolve("data.txt"))).isEqualTo("from-context\n");
    assertThat(image().files()).containsKey("out").doesNotContainKeys("m", "m/made", "d", "d/data.txt", "ctx",
        "ctx/data.txt", "made");
    Digest key = first.steps().get(first.steps().size() - 2).cacheKey();

    Files.writeString(context.resolve("data.txt"), "edited\n");
    BuildResult second = build(df, b -> b);
    assertThat(second.steps().get(second.steps().size() - 2).cacheKey()).isNotEqualTo(key);
    assertThat(output()).containsExactly("from-stage", "edited", "changed");
  }

  @Test
  void tmpfsMountIsInMemoryAndNotCommitted() throws Exception {
    build(BASE + "RUN --mount=type=tmpfs,target=/scratch,size=1m stat -f -c %T /scratch"
        + " && echo x > /scratch/file && cat /scratch/file\n", b -> b);
    assertThat(output()).containsExactly("tmpfs", "x");
    assertThat(image().files()).doesNotContainKeys("scratch", "scratch/file");
  }

  @Test
  void secretsReachTheCommandAsFileAndEnvButNoLayerHistoryKeyOrEvent() throws Exception {
    Path secretFile = Files.writeString(tmp.resolve("token"), SECRET);
    String home = System.getenv("HOME");
    assumeTrue(home != null && !home.isEmpty(), "HOME is not set");
    String df = BASE + "RUN --mount=type=secret,id=tok --mount=type=secret,id=tok,env=TOKEN,target=/s/again"
        + " --mount=type=secret,id=home,env=H"
        + " stat -c '%a %u' /run/secrets/tok && test \"$(cat /run/secrets/tok)\" = \"$TOKEN\" && echo ${#TOKEN}"
        + " && cat /s/again > /dev/null && echo ${#H} && touch /done\n";
    BuildResult r = build(df, b -> b.secret("tok", secretFile).secretEnv("home", "HOME"));
    assertThat(output()).containsExactly("400 0", String.valueOf(SECRET.length()), String.valueOf(home.length()));
    ImageSnapshot img = image();
    assertThat(img.files()).containsKey("done").doesNotContainKeys("run", "run/secrets", "run/secrets/tok", "s",
        "s/again");
    String pathValue = SECRET;

    Store s = Store.open(store);
    for (StepResult step : r.steps()) {
      String preimage = s.preimage(step.cacheKey()).orElseThrow();
      assertThat(preimage).doesNotContain(pathValue);
    }
    assertThat(preimage(s, r, 1)).contains("id=tok").contains("id=home, env=H");
    assertNowhere(store, pathValue);
    assertNowhere(tmp.resolve("out"), pathValue);
    assertThat(events.toString()).doesNotContain(pathValue);
  }

  private static String preimage(Store s, BuildResult r, int step) throws IOException {
    return s.preimage(r.steps().get(step).cacheKey()).orElseThrow();
  }

  /** Fails when any file under {@code dir} (blobs uncompressed, preimages, config, history) holds {@code secret}. */
  private static void assertNowhere(Path dir, String secret) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] data = Files.readAllBytes(f);
        assertThat(indexOf(data, needle)).as("secret bytes in %s", dir.relativize(f)).isEqualTo(-1);
      }
    }
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void missingRequiredSecretFailsAtItsPositionAndAMissingOptionalOneIsSkipped() throws Exception {
    assertThatThrownBy(() -> build(BASE + "RUN --mount=type=secret,id=nope,required true\n", b -> b))
        .isInstanceOf(BuildException.class)
        .hasMessageStartingWith("Dockerfile:3:1: RUN true")
        .hasMessageContaining("secret nope: not found");
    build(BASE + "RUN --mount=type=secret,id=opt test ! -e /run/secrets/opt && echo skipped\n", b -> b);
    assertThat(output()).containsExactly("skipped");
  }

  @Test
  void sshSocketIsForwardedWhenGivenAndMissingOneFailsAtItsPosition() throws Exception {
    String df = BASE + "RUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK\n";
    assertThatThrownBy(() -> build(df, b -> b))
        .hasMessageStartingWith("Dockerfile:3:1:")
        .hasMessageContaining("no SSH agent socket was given for ssh mount id=default");
    Path sock = tmp.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      build(df, b -> b.ssh("default", sock));
    }
    assertThat(output()).containsExactly("/run/buildkit/ssh_agent.0");
    assertThat(image().files()).doesNotContainKeys("run", "run/buildkit", "run/buildkit/ssh_agent.0");
  }

  @Test
  void insecureRunGetsEveryCapabilityWhenAllowed() throws Exception {
    String cap = "cat /proc/self/status | while read k v; do test \"$k\" = CapEff: && echo $v; done; true\n";
    build(BASE + "RUN " + cap, b -> b);
    List<String> sandboxed = output();
    build(BASE + "RUN --security=insecure " + cap, b -> b.allowInsecure(true));
    assertThat(output()).hasSize(1).isNotEqualTo(sandboxed);
    assertThat(Long.parseLong(output().get(0), 16)).isGreaterThan(Long.parseLong(sandboxed.get(0), 16));
  }
}
