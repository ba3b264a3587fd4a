package dev.gantry.registry;


import dev.gantry.api.BuildRequest;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds the images the registry tests push and pull. */
final class Fixtures {
  private Fixtures() {}

  /** Skips the calling test unless docker-registry, skopeo and busybox-static are installed. */
  static void assumeTools() {
    Tools.require(TestRegistry.available(), "docker-registry is not installed (apt-get install docker-registry)");
    Tools.require(Tools.onPath("skopeo"), "skopeo is not installed");
    Tools.require(BusyboxRootfs.available(), "busybox-static is not installed");
  }

  /** Builds a busybox base image into the OCI layout {@code dir}/oci (tag {@code 1}) and returns that layout. */
  static Path baseLayout(Path dir) throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    BusyboxRootfs.write(ctx.resolve("rootfs.tar"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nCMD [\"/bin/sh\"]\n");
    Path oci = dir.resolve("oci");
    new Gantry().build(BuildRequest.builder(ctx).storeDirectory(dir.resolve("store")).tag("base:1")
        .output(new Output.OciLayout(oci)).build());
    return oci;
  }

  /** Copies OCI layout {@code layout:1} to {@code registry/repository:tag} with skopeo. */
  static void seed(TestRegistry registry, Path layout, String repositoryAndTag) throws Exception {
    Skopeo.run(Skopeo.with("copy", registry.skopeoCreds("--dest-creds"), "--dest-tls-verify=false",
        "oci:" + layout + ":1", "docker://" + registry.host() + "/" + repositoryAndTag));
  }

  /** An anonymous registry under {@code dir} holding OCI layout {@code layout:1} as {@code repositoryAndTag}. */
  static TestRegistry seeded(Path dir, Path layout, String repositoryAndTag) throws Exception {
    TestRegistry registry = TestRegistry.start(dir, TestRegistry.Mode.ANONYMOUS);
    try {
      seed(registry, layout, repositoryAndTag);
      return registry;
    } catch (Exception e) {
      registry.close();
      throw e;
    }
  }

  /** A context whose Dockerfile builds on {@code base} and copies one file. */
  static Path appContext(Path dir, String base) throws IOException {
    Path ctx = Files.createDirectories(dir);
    Files.writeString(ctx.resolve("hello.txt"), "hello from gantry\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nCOPY hello.txt /hello.txt\nENV GREETING=hi\n");
    return ctx;
  }

  /** A listener that keeps the build's messages. */
  static final class Messages implements BuildListener {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BuildEvent e) {
      if (e instanceof BuildEvent.Message m) {
        lines.add(m.text());
      }
    }
  }

  /** Adds the registry's credentials to a request when it needs them. */
  static BuildRequest.Builder login(BuildRequest.Builder b, TestRegistry r) {
    return r.needsLogin() ? b.registryCredentials(r.host(), TestRegistry.USER, TestRegistry.PASSWORD) : b;
  }
}
