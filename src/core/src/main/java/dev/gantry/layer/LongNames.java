package dev.gantry.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes the PAX header of an entry whose name or link target is very long (a tree thousands of
 * levels deep), so that the tar library is handed only a short ustar name. The library truncates an
 * over-long header name one character at a time, re-encoding it each time, which is quadratic in
 * the name's length; below {@link #THRESHOLD} characters that costs nothing and the library's own
 * PAX headers are used, so ordinary layers are written as before.
 *
 * <p>The header holds {@code path}, {@code linkpath} (for links) and the {@code SCHILY.xattr.*}
 * records, sorted by key; it is named {@code ./PaxHeaders.X/} plus the ASCII form of the name,
 * owned by 0:0 with no owner names, mode 0644 and the entry's time.
 */
final class LongNames {
  /** Names and link targets longer than this many characters get their PAX header from here. */
  static final int THRESHOLD = 1024;
  private static final int USTAR_NAME = 99;
  private static final long USTAR_ID_MAX = 07777777L;
  private static final long USTAR_NUMBER_MAX = 077777777777L;

  private LongNames() {}

  /**
   * True when {@code e} needs this writer: a name or link target over {@link #THRESHOLD} characters,
   * and nothing else that the library would put into a PAX header of its own (large ids, size or time).
   */
  static boolean applies(LayerEntry e) {
    boolean longName = e.tarName().length() > THRESHOLD || e.linkTarget().length() > THRESHOLD;
    long seconds = e.mtime().getEpochSecond();
    return longName && e.uid() <= USTAR_ID_MAX && e.gid() <= USTAR_ID_MAX && e.size() <= USTAR_NUMBER_MAX
        && seconds >= 0 && seconds <= USTAR_NUMBER_MAX;
  }

  /** Writes the PAX header of {@code e} (which {@link #applies}) to {@code tar}. */
  static void writeHeader(TarArchiveOutputStream tar, LayerEntry e) throws IOException {
    Map<String, String> records = new TreeMap<>();
    records.put("path", e.tarName());
    if (e.type() == EntryType.SYMLINK || e.type() == EntryType.HARDLINK) {
      records.put("linkpath", e.linkTarget());
    }
    e.xattrs().forEach((k, v) -> records.put("SCHILY.xattr." + k, v));
    StringBuilder body = new StringBuilder();
    records.forEach((k, v) -> body.append(record(k, v)));
    byte[] data = body.toString().getBytes(StandardCharsets.UTF_8);
    String name = "./PaxHeaders.X/" + ascii(e.tarName());
    TarArchiveEntry pax = new TarArchiveEntry(name.substring(0, Math.min(name.length(), USTAR_NAME)),
        TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, true);
    pax.setMode(0100644);
    pax.setIds(0, 0);
    pax.setNames("", "");
    pax.setModTime(FileTime.from(Instant.ofEpochSecond(e.mtime().getEpochSecond())));
    pax.setSize(data.length);
    tar.putArchiveEntry(pax);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** The short ASCII stand-in for a long name in the ustar header (a directory keeps its trailing slash). */
  static String ustar(String name) {
    boolean dir = name.endsWith("/");
    String a = ascii(dir ? name.substring(0, name.length() - 1) : name);
    int keep = Math.min(a.length(), dir ? USTAR_NAME - 1 : USTAR_NAME);
    String cut = a.substring(0, keep);
    if (!dir && cut.endsWith("/")) {
      cut = cut.substring(0, keep - 1) + "_"; // a name ending in a slash would read as a directory
    }
    return dir ? cut + "/" : cut;
  }

  private static String ascii(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 128));
    for (int i = 0; i < s.length() && b.length() < 128; i++) {
      char c = s.charAt(i);
      b.append(c < 0x80 && c != 0 ? c : '_');
    }
    return b.toString();
  }

  /** One PAX record, {@code "LENGTH key=value\n"}, where LENGTH counts the whole record in bytes. */
  private static String record(String key, String value) {
    int rest = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int len = rest + String.valueOf(rest).length();
    if (String.valueOf(len).length() != String.valueOf(rest).length()) {
      len = rest + String.valueOf(len).length();
    }
    return len + " " + key + "=" + value + "\n";
  }
}
