package dev.gantry.cli;

import dev.gantry.api.Gantry;
import dev.gantry.api.ImageSummary;
import dev.gantry.api.PruneRequest;
import dev.gantry.api.PruneResult;
import dev.gantry.api.RemoveResult;
import dev.gantry.api.StoreLimits;
import dev.gantry.api.StoreUsage;
import dev.gantry.oci.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code gantry images}, {@code rmi}, {@code du} and {@code prune}: the local store, as docker shows and shrinks its own. */
final class StoreCommands {
  private static final Args.Option CACHE_DIR = Args.Option.value("--cache-dir", "DIR",
      "Local store directory (default: $GANTRY_HOME or ~/.cache/gantry).");

  static final Args.Spec IMAGES = new Args.Spec("images",
      List.of("List the images of the local store: one row per tag, with the image digest, creation time and size."),
      List.of(Args.Option.value("--format", "FORMAT", "table or json (one JSON object per line) (default: table)."), CACHE_DIR),
      List.of(),
      List.of("gantry images", "gantry images --format json"),
      List.of("0   listed", "1   the store cannot be read", "2   usage error"));

  static final Args.Spec RMI = new Args.Spec("rmi",
      List.of("Remove tags from the local store; the images' data goes with the next 'gantry prune'."),
      List.of(CACHE_DIR),
      List.of(new Args.Parameter("REF", "A tag as given to 'gantry build -t', or a pulled base image's reference.", 1, -1)),
      List.of("gantry rmi app:1", "gantry rmi app:1 app:2 && gantry prune --all"),
      List.of("0   every tag removed", "1   a REF named no tag (the others were removed)", "2   usage error"));

  static final Args.Spec DU = new Args.Spec("du",
      List.of("Show the disk usage of the local store: blobs, cache records, RUN rootfs caches, cache mounts."),
      List.of(Args.Option.flag("-v,--verbose", "Also list the largest entries."), CACHE_DIR),
      List.of(),
      List.of("gantry du", "gantry du --verbose"),
      List.of("0   shown", "1   the store cannot be read", "2   usage error"));

  static final Args.Spec PRUNE = new Args.Spec("prune",
      List.of("Remove unused data from the local store; tagged images are kept. By default only unreferenced data",
          "goes (blobs no tag or cache record needs, RUN rootfs caches of layers no longer stored). Safe while builds run."),
      List.of(Args.Option.flag("-a,--all", "Remove everything no tag needs: also cache records, RUN rootfs caches, cache mounts."),
          Args.Option.value("--keep-storage", "SIZE", "Remove least recently used data until the store holds at most SIZE (e.g. 500MB, 2GiB)."),
          Args.Option.values("--filter", "until=DURATION", "Only remove what was last used longer ago than DURATION (e.g. 24h, 30m)."),
          CACHE_DIR),
      List.of(),
      List.of("gantry prune                      remove unreferenced data",
          "gantry prune --all                remove all cache; keep tagged images",
          "gantry prune --keep-storage 2GiB  evict least recently used cache down to 2 GiB",
          "gantry prune --all --filter until=24h"),
      List.of("0   pruned", "1   the store cannot be changed", "2   usage error"));

  private final Args args;
  private final Path store;
  private final PrintStream out;

  StoreCommands(Args args, PrintStream out) {
    this.args = args;
    this.store = CommonOptions.path(args.value("--cache-dir", null));
    this.out = out;
  }

  int images() throws IOException {
    String format = args.value("--format", "table");
    if (!format.equals("table") && !format.equals("json")) {
      throw new Args.UsageException("--format must be table or json, not '" + format + "'");
    }
    List<ImageSummary> images = new Gantry().images(store);
    if (format.equals("json")) {
      for (ImageSummary i : images) {
        out.println("{\"Tag\":" + Json.writeValue(i.tag()) + ",\"Digest\":\"" + i.manifestDigest() + "\",\"CreatedAt\":"
            + (i.created() == null ? "null" : "\"" + i.created() + "\"") + ",\"Size\":" + i.size()
            + ",\"Pulled\":" + i.pulled() + "}");
      }
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TAG", "IMAGE ID", "CREATED", "SIZE"});
    Instant now = Instant.now();
    for (ImageSummary i : images) {
      rows.add(new String[] {i.tag(), i.manifestDigest().hex().substring(0, 12),
          i.created() == null ? "unknown" : ago(Duration.between(i.created(), now)), Bytes.format(i.size())});
    }
    columns(rows);
    return 0;
  }

  int rmi(PrintStream err) throws IOException {
    RemoveResult r = new Gantry().removeImages(store, args.parameters("REF"));
    r.untagged().forEach(ref -> out.println("Untagged: " + ref));
    for (String ref : r.missing()) {
      err.println("error: no image tagged \"" + ref + "\" in the local store");
    }
    if (!r.missing().isEmpty()) {
      err.println("  hint: see the tags with 'gantry images'");
      return 1;
    }
    return 0;
  }

  int du() throws IOException {
    StoreUsage u = new Gantry().diskUsage(store);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TYPE", "ENTRIES", "SIZE"});
    for (StoreUsage.Category c : u.categories()) {
      rows.add(new String[] {c.name(), c.name().equals("other") ? "" : Long.toString(c.count()), Bytes.format(c.bytes())});
    }
    rows.add(new String[] {"total", "", Bytes.format(u.totalBytes())});
    columns(rows);
    if (args.flag("--verbose")) {
      List<String[]> largest = new ArrayList<>();
      largest.add(new String[] {"TYPE", "ID", "SIZE", "LAST USED"});
      Instant now = Instant.now();
      for (StoreUsage.Entry e : u.entries().subList(0, Math.min(20, u.entries().size()))) {
        largest.add(new String[] {e.kind(), e.name().substring(0, 12), Bytes.format(e.bytes()),
            ago(Duration.between(e.lastUse(), now))});
      }
      out.println();
      out.println("Largest entries:");
      columns(largest);
    }
    return 0;
  }

  int prune() throws IOException {
    PruneRequest.Builder req = PruneRequest.builder().storeDirectory(store).all(args.flag("--all"));
    String keep = args.value("--keep-storage", null);
    if (keep != null) {
      req.keepStorage(StoreLimits.parseSize(keep));
    }
    for (String f : args.values("--filter")) {
      if (!f.startsWith("until=")) {
        throw new Args.UsageException("unknown filter '" + f + "' (only until=DURATION is supported)");
      }
      req.until(StoreLimits.parseDuration(f.substring("until=".length())));
    }
    PruneResult r = new Gantry().prune(req.build());
    out.println("Removed " + r.blobs() + " blobs, " + r.records() + " cache records, " + r.directories()
        + " directories" + (r.leftovers() > 0 ? ", " + r.leftovers() + " leftover files" : ""));
    out.println("Total reclaimed space: " + Bytes.format(r.bytesFreed()));
    if (r.buildsRunning()) {
      out.println("Builds were running: what they use, and every RUN rootfs cache and cache mount, was kept.");
    }
    return 0;
  }

  /** Prints {@code rows} in columns three spaces apart; the last column is not padded. */
  private void columns(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : r[i] + " ".repeat(width[i] - r[i].length() + 3));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  /** {@code 5 minutes ago}, as docker writes ages. */
  static String ago(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long[] sizes = {365L * 86400, 30L * 86400, 7L * 86400, 86400, 3600, 60, 1};
    String[] names = {"year", "month", "week", "day", "hour", "minute", "second"};
    for (int i = 0; i < sizes.length; i++) {
      long n = s / sizes[i];
      if (n >= 1 || i == sizes.length - 1) {
        return n + " " + names[i] + (n == 1 ? "" : "s") + " ago";
      }
    }
    throw new AssertionError();
  }
}
