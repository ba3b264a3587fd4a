package dev.gantry.maven;

import dev.gantry.api.Gantry;
import dev.gantry.api.PruneRequest;
import dev.gantry.api.PruneResult;
import dev.gantry.api.StoreLimits;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes unused data from the local store, as {@code gantry prune} does; tagged images are kept.
 * By default only unreferenced data goes (blobs no tag or cache record needs, unpacked layers of
 * layers no longer stored). Safe while builds run on the same store. Not bound to a phase: run it
 * as {@code mvn gantry:prune}.
 */
@Mojo(name = "prune", requiresProject = false, threadSafe = true)
public final class PruneMojo extends AbstractMojo {

  /** The local store. Default: {@code GANTRY_HOME}, else {@code ~/.cache/gantry}. */
  @Parameter(property = "gantry.cacheDirectory")
  File cacheDirectory;

  /** Also remove every cache record, unpacked layer and cache mount no tag needs. */
  @Parameter(property = "gantry.prune.all", defaultValue = "false")
  boolean all;

  /**
   * Instead, remove least recently used data until the store holds at most this much, such as
   * {@code 2GiB} or {@code 500MB} (units are powers of 1024).
   */
  @Parameter(property = "gantry.prune.keepStorage")
  String keepStorage;

  /** Only remove what was last used longer ago than this, such as {@code 24h} or {@code 7d}. */
  @Parameter(property = "gantry.prune.until")
  String until;

  /** Skip the goal. */
  @Parameter(property = "gantry.skip", defaultValue = "false")
  boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("gantry: skipped (gantry.skip=true)");
      return;
    }
    PruneRequest.Builder req = PruneRequest.builder().all(all);
    if (cacheDirectory != null) {
      req.storeDirectory(cacheDirectory.toPath());
    }
    try {
      if (keepStorage != null && !keepStorage.isBlank()) {
        req.keepStorage(StoreLimits.parseSize(keepStorage));
      }
      if (until != null && !until.isBlank()) {
        req.until(StoreLimits.parseDuration(until));
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    PruneResult r;
    try {
      r = new Gantry().prune(req.build());
    } catch (IOException e) {
      throw new MojoExecutionException("gantry prune failed: " + e.getMessage(), e);
    }
    getLog().info("removed " + r.blobs() + " blobs, " + r.records() + " cache records, " + r.directories()
        + " directories: " + r.bytesFreed() + " bytes freed"
        + (r.buildsRunning() ? " (builds were running: what they use was kept)" : ""));
  }
}
