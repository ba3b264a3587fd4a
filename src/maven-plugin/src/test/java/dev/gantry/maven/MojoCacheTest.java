package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cacheFrom} and {@code cacheTo} parameters: several specifications, errors, a directory round trip. */
class MojoCacheTest {
  @TempDir Path dir;
  private final RecordingLog log = new RecordingLog(false);

  private BuildMojo mojo(String store) throws Exception {
    Path context = Files.createDirectories(dir.resolve("project"));
    Files.writeString(context.resolve("app.txt"), "hello\n");
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY app.txt /app/\nENV A=1\n");
    BuildMojo mojo = new BuildMojo();
    mojo.setLog(log);
    mojo.dockerfile = context.resolve("Dockerfile").toFile();
    mojo.contextDirectory = context.toFile();
    mojo.cacheDirectory = dir.resolve(store).toFile();
    mojo.outputDirectory = dir.resolve("image-" + store).toFile();
    return mojo;
  }

  @Test
  void specificationsAreSeparatedBySemicolonsOrLineBreaksAndABadOneFailsTheGoal() throws Exception {
    BuildMojo mojo = mojo("store");
    mojo.cacheFrom = "type=registry,ref=r.example/app:cache;\n  type=local,src=" + dir.resolve("c") + "\n";
    mojo.cacheTo = "type=local,dest=" + dir.resolve("c") + ",mode=max";
    assertThat(mojo.request().cacheFrom()).containsExactly(new CacheLocation.Registry("r.example/app:cache"),
        new CacheLocation.Directory(dir.resolve("c")));
    assertThat(mojo.request().cacheTo()).containsExactly(new CacheExport(new CacheLocation.Directory(dir.resolve("c")),
        CacheExport.Mode.MAX));
    mojo.allowInsecureRegistries = true;
    assertThat(mojo.request().insecureRegistries()).containsExactly("r.example");
    mojo.cacheTo = "type=local,dest=x,mode=most";
    assertThatThrownBy(mojo::request).isInstanceOf(MojoFailureException.class)
        .hasMessage("--cache-to mode must be min or max, not 'most'");
  }

  @Test
  void anotherStoreReusesEveryStepFromADirectoryCache() throws Exception {
    BuildMojo first = mojo("store-a");
    first.cacheTo = "type=local,dest=" + dir.resolve("ci-cache");
    first.execute();
    BuildMojo second = mojo("store-b");
    second.cacheFrom = "type=local,src=" + dir.resolve("ci-cache");
    second.execute();
    assertThat(log.lines()).filteredOn(l -> l.contains(" steps, ")).extracting(l -> l.replaceAll(", [0-9.]+s$", ""))
        .containsExactly("INFO 2 steps, 0 cached", "INFO 2 steps, 2 cached");
  }
}
