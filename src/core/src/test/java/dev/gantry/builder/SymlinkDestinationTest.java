package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations of COPY, ADD, WORKDIR and RUN's working directory are resolved inside the root
 * through symlinks, component by component, as BuildKit's fsutil does: the link stays a link, what
 * it points to receives the files, and a missing target is created.
 */
class SymlinkDestinationTest {
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
    fx.write("x", "payload");
  }

  private void links(TestTars tars) throws IOException {
    fx.write("links.tar", tars.tar());
  }

  @Test
  void aLinkFromABaseLayerLeadsCopyIntoItsTarget() throws Exception {
    links(new TestTars().dir("opt/", 0755, 0, 0).symlink("app", "/opt/app").symlink("rel", "opt/rel"));
    fx.write("a.tar", new TestTars().file("unpacked", "data").tar());
    fx.dockerfile("FROM scratch\nADD links.tar /\nCOPY x /app/\nCOPY x /rel/sub/\nADD a.tar /app/\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("app", "symlink 0:0 -> /opt/app")
        .containsEntry("opt/app", "dir 00755 0:0")
        .containsEntry("opt/app/x", "file 00644 0:0 " + BuildFixture.sha16("payload"))
        .containsEntry("rel", "symlink 0:0 -> opt/rel")
        .containsEntry("opt/rel/sub/x", "file 00644 0:0 " + BuildFixture.sha16("payload"))
        .containsEntry("opt/app/unpacked", "file 00644 0:0 " + BuildFixture.sha16("data"))
        .doesNotContainKeys("app/x", "rel/sub", "app/unpacked");
  }

  @Test
  void workdirThroughADanglingLinkCreatesItsTargetAndKeepsTheLink() throws Exception {
    links(new TestTars().symlink("tempest", "/var/lib/tempest"));
    fx.dockerfile("FROM scratch\nADD links.tar /\nWORKDIR /tempest\nCOPY x ./x\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("tempest", "symlink 0:0 -> /var/lib/tempest")
        .containsEntry("var/lib/tempest", "dir 00755 0:0")
        .containsEntry("var/lib/tempest/x", "file 00644 0:0 " + BuildFixture.sha16("payload"))
        .doesNotContainKey("tempest/x");
  }

  @Test
  void linksMadeByRunAreFollowedByCopyWorkdirAndTheNextRun() throws Exception {
    fx.writeBusyboxBase();
    fx.dockerfile("FROM scratch\nADD base.tar /\n"
        + "RUN ln -s /symlink /src && rm -rf /symlink\nCOPY x /src/\n"
        + "RUN ln -sf /var/lib/tempest /tempest\nWORKDIR /tempest\nCOPY x ./x\nRUN touch made-by-run\n"
        + "WORKDIR /w\nRUN cd / && rm -rf /w && ln -s /gone/deeper /w\nRUN touch there\n");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("src", "symlink 0:0 -> /symlink")
        .containsEntry("symlink", "dir 00755 0:0")
        .containsEntry("symlink/x", "file 00644 0:0 " + BuildFixture.sha16("payload"))
        .containsEntry("tempest", "symlink 0:0 -> /var/lib/tempest")
        .containsEntry("var/lib/tempest/x", "file 00644 0:0 " + BuildFixture.sha16("payload"))
        .containsKeys("var/lib/tempest/made-by-run", "gone/deeper/there")
        .containsEntry("w", "symlink 0:0 -> /gone/deeper");
  }
}
