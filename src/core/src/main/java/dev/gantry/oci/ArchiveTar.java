package dev.gantry.oci;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Collects the files of an image archive and writes them as a deterministic tar: entries sorted by
 * name, parent directories explicit, owner 0:0 with empty names, one fixed modification time.
 */
final class ArchiveTar {
  private interface Source {
    long size();

    InputStream open() throws IOException;
  }

  private final Map<String, Source> files = new TreeMap<>();
  private final Instant mtime;

  ArchiveTar(Instant mtime) {
    this.mtime = mtime;
  }

  void add(String name, byte[] bytes) {
    files.put(name, new Source() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }
    });
  }

  void add(String name, Blob blob) {
    files.putIfAbsent(name, new Source() {
      @Override
      public long size() {
        return blob.descriptor().size();
      }

      @Override
      public InputStream open() throws IOException {
        return VerifyingInputStream.of(blob.open(), blob.descriptor());
      }
    });
  }

  void addBlobs(Image image) {
    for (Blob b : image.blobs()) {
      Digest d = b.descriptor().digest();
      add("blobs/" + d.algorithm() + "/" + d.hex(), b);
    }
  }

  /** Writes the tar to {@code out} (which is flushed, not closed). */
  void writeTo(OutputStream out) throws IOException {
    Map<String, Source> all = new TreeMap<>();
    for (String name : files.keySet()) {
      for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
        all.putIfAbsent(name.substring(0, i + 1), null);
      }
    }
    all.putAll(files);
    OutputStream shield = new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(shield, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, Source> e : all.entrySet()) {
        boolean dir = e.getValue() == null;
        TarArchiveEntry te = new TarArchiveEntry(e.getKey(),
            dir ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
        te.setMode(dir ? 040755 : 0100644);
        te.setIds(0, 0);
        te.setNames("", "");
        te.setModTime(FileTime.from(mtime));
        if (!dir) {
          te.setSize(e.getValue().size());
        }
        tar.putArchiveEntry(te);
        if (!dir) {
          try (InputStream in = e.getValue().open()) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
