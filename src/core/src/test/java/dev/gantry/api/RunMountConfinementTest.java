package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.oci.Compression;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RUN --mount} never reaches the host through a symbolic link: a bind or cache source that
 * is a link (in the context or in a stage) resolves inside that root as BuildKit resolves it, a
 * read-write bind writes to a throw-away copy, and a mount target behind a link in the root
 * filesystem lands inside the root (runc resolves it there) without Gantry following the link on the
 * host when it tidies the mount points afterwards (bind, tmpfs, secret, cache and ssh targets). Each
 * case checks host sentinel files made outside the build before and after it.
 */
class RunMountConfinementTest {
  private static final String BASE = "FROM scratch\nADD base.tar /\n";
  @TempDir Path tmp;
  Path context;
  Path store;
  Path host;
  Map<String, String> hostBefore;
  Path agent;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws IOException {
    RunPreconditions.require();
    context = Files.createDirectories(tmp.resolve("ctx"));
    store = tmp.resolve("store");
    BusyboxRootfs.write(context.resolve("base.tar"));
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("sentinel"), "host-file\n");
    Files.createFile(host.resolve("x"));
    Files.createDirectories(host.resolve("d"));
    hostBefore = snapshot(host);
  }

  @AfterEach
  void hostUntouched() throws IOException {
    assertThat(snapshot(host)).as("host directory after the build").isEqualTo(hostBefore);
  }

  private void build(String dockerfile) throws Exception {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    events.clear();
    BuildRequest.Builder b = BuildRequest.builder(context).storeDirectory(store).listener(events::add)
        .secret("tok", Files.writeString(tmp.resolve("token"), "tok\n"))
        .compression(Compression.NONE).output(new Output.OciLayout(tmp.resolve("out")));
    new Gantry().build((agent == null ? b : b.ssh("default", agent)).build());
  }

  private List<String> output() {
    return events.stream().filter(e -> e instanceof BuildEvent.Output).map(e -> ((BuildEvent.Output) e).line())
        .toList();
  }

  @Test
  void contextSymlinkToAHostDirectoryIsResolvedInsideTheContext() throws Exception {
    Files.createSymbolicLink(context.resolve("hostdir"), host);
    assertThatThrownBy(() -> build(BASE + "RUN --mount=type=bind,source=hostdir,target=/h,rw"
        + " cat /h/sentinel; echo pwned > /h/sentinel; touch /h/new\n"))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("bind mount source \"/hostdir\" is a symbolic link to \"" + host
            + "\", which is not in the build context");
    assertThat(output()).doesNotContain("host-file");
  }

  @Test
  void contextSymlinkToSlashIsTheContextRootAndWritesGoToACopy() throws Exception {
    Files.createSymbolicLink(context.resolve("root"), Path.of("/"));
    Files.createDirectories(context.resolve("sub"));
    Files.createSymbolicLink(context.resolve("sub/up"), Path.of("../.."));
    build(BASE + "RUN --mount=type=bind,source=root,target=/h,rw --mount=type=bind,source=sub/up,target=/u"
        + " test ! -e /h/etc/shadow && test -e /h/Dockerfile && test -e /u/Dockerfile && echo context"
        + " && echo pwned > /h/Dockerfile && touch /h/new\n");
    assertThat(output()).containsExactly("context");
    assertThat(Files.readString(context.resolve("Dockerfile"))).startsWith("FROM scratch");
    assertThat(context.resolve("new")).doesNotExist();
    assertThat(Path.of("/new")).doesNotExist();
  }

  @Test
  void stageAndCacheSourcesThroughSymlinksStayInTheirRoots() throws Exception {
    String stage = "FROM scratch AS src\nADD base.tar /\nRUN ln -s " + host + " /hostlink && ln -s / /top"
        + " && mkdir /data && echo from-stage > /data/f\n";
    assertThatThrownBy(() -> build(stage + BASE + "RUN --mount=type=bind,from=src,source=/hostlink,target=/h,rw"
        + " cat /h/sentinel\n")).isInstanceOf(BuildException.class).hasMessageContaining("not found in stage");
    build(stage + BASE + "RUN --mount=type=bind,from=src,source=/top,target=/h,rw"
        + " --mount=type=cache,id=c1,from=src,source=/top/data,target=/c"
        + " cat /h/data/f /c/f && echo pwned > /h/data/f && echo x > /c/f && touch /h/new\n");
    assertThat(output()).containsExactly("from-stage", "from-stage");
    assertThatThrownBy(() -> build(stage + BASE + "RUN --mount=type=cache,id=c2,from=src,source=/hostlink,target=/c"
        + " cat /c/sentinel\n")).isInstanceOf(BuildException.class).hasMessageContaining("not found in stage");
  }

  @Test
  void mountTargetsBehindSymlinksLandInsideTheRoot() throws Exception {
    Files.writeString(context.resolve("data.txt"), "data\n");
    String rel = "../../../../../../../../.." + host;
    String df = BASE + "RUN ln -s " + host + " /abs && ln -s " + rel + " /rel\n"
        + "RUN --mount=type=bind,source=data.txt,target=/abs/x --mount=type=tmpfs,target=/rel/d"
        + " --mount=type=secret,id=tok,target=/abs/sentinel --mount=type=cache,id=t,target=/rel/c"
        + " --mount=type=ssh,target=/rel/agent"
        + " cat /abs/x /abs/sentinel && touch /rel/d/in-tmpfs /rel/c/in-cache && test -S /rel/agent && echo done\n";
    agent = tmp.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(agent));
      build(df);
    }
    assertThat(output()).containsExactly("data", "tok", "done");
    String inRoot = host.toString().substring(1);
    assertThat(ImageSnapshot.read(tmp.resolve("out"), null).files().keySet()).as("mount-point stubs in the image")
        .noneMatch(p -> p.startsWith(inRoot.substring(0, inRoot.indexOf('/', 4))));
  }

  @Test
  void mountPointStubsAreNotRemovedThroughALinkTheCommandPutInTheirPlace() throws Exception {
    Files.writeString(context.resolve("data.txt"), "data\n");
    build(BASE + "RUN --mount=type=tmpfs,target=/m/d --mount=type=bind,source=data.txt,target=/m/x"
        + " mv /m /moved && ln -s " + host + " /m && echo swapped\n");
    assertThat(output()).containsExactly("swapped");
  }

  /** Every path under {@code dir} with its type, size and content (files), not following links. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String what = Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
            : "file " + Files.readString(p);
        out.put(dir.relativize(p).toString(), what);
      }
    }
    return out;
  }
}
