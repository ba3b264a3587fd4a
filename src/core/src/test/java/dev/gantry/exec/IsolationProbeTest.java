package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The choice of RUN isolation from what a host allows. */
class IsolationProbeTest {
  private static final long ALL = 0x1ffffffffffL;
  private static final long CONTAINER_CAPS = 0x800405fbL; // podman's default: no CAP_SYS_ADMIN
  private static final List<UserNamespace.Mapping> INITIAL = List.of(new UserNamespace.Mapping(0, 0, 4294967295L));
  private static final List<UserNamespace.Mapping> NESTED = List.of(new UserNamespace.Mapping(0, 1001, 1),
      new UserNamespace.Mapping(1, 100000, 65535));
  private static final List<UserNamespace.Range> RANGE = List.of(new UserNamespace.Range(100000, 65536));

  private static IsolationProbe.Facts facts(long uid, long caps, List<UserNamespace.Mapping> map,
      Optional<Boolean> userns, List<UserNamespace.Range> subids, Optional<String> container) {
    return new IsolationProbe.Facts(true, Optional.empty(), uid, uid == 0 ? "root" : "dev", caps, map, userns,
        subids, subids, container, true);
  }

  private static String chosen(RunIsolation.Request req, IsolationProbe.Facts f) {
    IsolationProbe.Choice c = IsolationProbe.choose(req, f);
    return c.isolation().map(i -> i.describe() + (i.mustEnter() ? " | enter: " + String.join(" ", i.enter()) : ""))
        .orElse("none: " + c.problem());
  }

  @Test
  void rootOfTheHostRunsAsRoot() {
    IsolationProbe.Facts f = facts(0, ALL, INITIAL, Optional.empty(), List.of(), Optional.of("/.dockerenv"));
    assertThat(chosen(RunIsolation.Request.AUTO, f))
        .isEqualTo("RUN isolation: root (root with CAP_SYS_ADMIN: runc on overlay mounts)");
    assertThat(chosen(RunIsolation.Request.ROOTLESS, f))
        .isEqualTo("none: --isolation rootless: this runs as root; rootless mode is for other users");
  }

  @Test
  void aUserWithSubordinateIdsEntersAUserNamespace() {
    IsolationProbe.Facts f = facts(1001, 0, INITIAL, Optional.of(true), RANGE, Optional.empty());
    assertThat(chosen(RunIsolation.Request.AUTO, f)).isEqualTo("RUN isolation: rootless (user namespace,"
        + " subordinate ids 100000-165535 from /etc/subuid and 100000-165535 from /etc/subgid)"
        + " | enter: unshare --map-root-user --map-auto --mount --propagation private --");
  }

  @Test
  void aUserWithoutSubordinateIdsGetsOneIdAndIsToldWhatThatCannotDo() {
    IsolationProbe.Facts f = facts(1001, 0, INITIAL, Optional.of(true), List.of(), Optional.empty());
    assertThat(chosen(RunIsolation.Request.AUTO, f)).isEqualTo("RUN isolation: rootless (user namespace with one"
        + " id: dev has no subordinate ids in /etc/subuid and /etc/subgid, so files can only be owned by root)"
        + " | enter: unshare --map-root-user --mount --propagation private --");
  }

  @Test
  void insideTheNamespaceTheMappingIsDescribed() {
    IsolationProbe.Facts f = facts(0, ALL, NESTED, Optional.empty(), List.of(), Optional.empty());
    assertThat(chosen(RunIsolation.Request.AUTO, f)).isEqualTo("RUN isolation: rootless (user namespace:"
        + " id 0 is host id 1001, ids 1-65535 are host ids 100000-165534)");
    assertThat(chosen(RunIsolation.Request.ROOT, f)).startsWith("none: --isolation root needs root")
        .endsWith("this is root of a user namespace, not of the host");
  }

  @Test
  void anUnprivilegedContainerChoosesChrootAndAHostNeverDoesByItself() {
    IsolationProbe.Facts container = facts(0, CONTAINER_CAPS, INITIAL, Optional.empty(), List.of(),
        Optional.of("/run/.containerenv"));
    assertThat(chosen(RunIsolation.Request.AUTO, container)).isEqualTo("RUN isolation: chroot (in a container"
        + " (/run/.containerenv) without CAP_SYS_ADMIN: no overlay can be mounted, runc cannot run;"
        + " commands run chrooted with the container's rights)");
    IsolationProbe.Facts host = facts(0, CONTAINER_CAPS, INITIAL, Optional.empty(), List.of(), Optional.empty());
    assertThat(chosen(RunIsolation.Request.AUTO, host)).startsWith("none: no RUN isolation is possible here;"
        + " run as root (root here lacks CAP_SYS_ADMIN, as in a container without privileges); or allow rootless"
        + " builds (").endsWith("; or inside a container without privileges, use --isolation chroot");
    assertThat(chosen(RunIsolation.Request.CHROOT, host)).startsWith("RUN isolation: chroot (asked for with"
        + " --isolation chroot;");
  }

  @Test
  void aUserWhereNoNamespaceCanBeMadeIsToldWhatToChange() {
    IsolationProbe.Facts f = facts(1001, 0, INITIAL, Optional.of(false), RANGE, Optional.of("/.dockerenv"));
    assertThat(chosen(RunIsolation.Request.AUTO, f)).isEqualTo("none: no RUN isolation is possible here;"
        + " run as root (this runs as uid 1001); or allow rootless builds (no user namespace can be made here"
        + " (unshare --map-root-user failed): allow them (sysctl user.max_user_namespaces,"
        + " kernel.unprivileged_userns_clone), or, in a container, run it with a seccomp profile that allows"
        + " unshare); or use --isolation chroot (it needs root of the container (this runs as uid 1001))");
  }

  @Test
  void aMissingRuntimeIsNamedRatherThanWorkedAround() {
    IsolationProbe.Facts f = new IsolationProbe.Facts(true, Optional.of("RUN needs the runc container runtime"), 0,
        "root", ALL, INITIAL, Optional.empty(), List.of(), List.of(), Optional.of("/.dockerenv"), true);
    assertThat(chosen(RunIsolation.Request.AUTO, f)).isEqualTo("none: RUN needs the runc container runtime");
  }

  @Test
  void subordinateRangesAreReadByNameOrUid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("subuid"),
        "other:200000:65536\ndev:100000:65536\n1001:300000:10\nbad:x:1\n");
    assertThat(UserNamespace.subordinate(f, "dev", 1001)).containsExactly(new UserNamespace.Range(100000, 65536),
        new UserNamespace.Range(300000, 10));
    assertThat(UserNamespace.subordinate(tmp.resolve("missing"), "dev", 1001)).isEmpty();
  }
}
