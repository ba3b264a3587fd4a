package dev.gantry.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that keeps the bytes of entry names. Names and link targets come back as byte
 * strings: one char per byte (ISO-8859-1), whether they were written in the header, a GNU long
 * name or a PAX {@code path}/{@code linkpath} record, so two names differing only in bytes that are
 * not UTF-8 stay two names. {@link #display(String)} and {@link #utf8(String)} turn a byte string
 * into text.
 */
final class ByteNameTarInput extends TarArchiveInputStream {
  private static final int MAX_PAX = 1 << 20;
  private static final int TYPEFLAG = 156;

  /** The local PAX header data read for the current entry, one element per {@code x} header. */
  private final java.util.List<ByteArrayOutputStream> pax = new java.util.ArrayList<>();
  private int paxSize;
  private boolean capturing;
  private int depth;
  private String paxPath;
  private String paxLinkPath;

  ByteNameTarInput(InputStream in) {
    super(in, "ISO-8859-1");
  }

  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    if (depth == 0) {
      pax.clear();
      paxSize = 0;
      capturing = false;
    }
    depth++;
    TarArchiveEntry e;
    try {
      e = super.getNextEntry();
    } finally {
      depth--;
    }
    if (depth == 0) {
      capturing = false;
      parsePax();
    }
    return e;
  }

  @Override
  protected byte[] readRecord() throws IOException {
    byte[] r = super.readRecord();
    if (r != null && r.length > TYPEFLAG && depth > 0) {
      capturing = r[TYPEFLAG] == 'x';
      if (capturing) {
        pax.add(new ByteArrayOutputStream());
      }
    }
    return r;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (capturing && n > 0) {
      paxSize += n;
      if (paxSize > MAX_PAX) {
        throw new IOException("PAX header larger than " + MAX_PAX + " bytes");
      }
      pax.get(pax.size() - 1).write(b, off, n);
    }
    return n;
  }

  /** The name of {@code e} (the entry just read) as a byte string. */
  String name(TarArchiveEntry e) {
    return paxPath != null ? paxPath : e.getName();
  }

  /** The link target of {@code e} (the entry just read) as a byte string. */
  String linkName(TarArchiveEntry e) {
    return paxLinkPath != null ? paxLinkPath : e.getLinkName();
  }

  /**
   * Reads {@code path} and {@code linkpath} from the PAX headers of the current entry. Of several
   * headers in a row the first wins, as the entry reader applies them.
   */
  private void parsePax() {
    paxPath = null;
    paxLinkPath = null;
    for (int k = pax.size() - 1; k >= 0; k--) {
      parsePax(pax.get(k).toByteArray());
    }
  }

  private void parsePax(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int sp = i;
      int len = 0;
      while (sp < b.length && b[sp] >= '0' && b[sp] <= '9') {
        len = len * 10 + (b[sp++] - '0');
      }
      if (sp >= b.length || b[sp] != ' ' || len <= sp - i || i + len > b.length) {
        return;
      }
      int eq = sp + 1;
      while (eq < i + len && b[eq] != '=') {
        eq++;
      }
      String key = new String(b, sp + 1, eq - sp - 1, StandardCharsets.ISO_8859_1);
      String value = new String(b, eq + 1, Math.max(0, i + len - eq - 2), StandardCharsets.ISO_8859_1);
      if (key.equals("path")) {
        paxPath = value;
      } else if (key.equals("linkpath")) {
        paxLinkPath = value;
      }
      i += len;
    }
  }

  /** The bytes of a byte string. */
  static byte[] bytes(String byteString) {
    return byteString.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The byte string of UTF-8 {@code text}. */
  static String bytesOf(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** A byte string as UTF-8 text, or null when its bytes are not UTF-8. */
  static String utf8(String byteString) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes(byteString))).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A byte string for messages: UTF-8 text where it is valid, {@code \xNN} for other bytes. */
  static String display(String byteString) {
    String text = utf8(byteString);
    if (text != null) {
      return text;
    }
    byte[] b = bytes(byteString);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < b.length) {
      int n = sequenceLength(b, i);
      if (n > 0) {
        out.append(new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
      } else {
        out.append(String.format("\\x%02x", b[i] & 0xff));
        i++;
      }
    }
    return out.toString();
  }

  /** The length of the valid UTF-8 sequence starting at {@code i}, or 0. */
  private static int sequenceLength(byte[] b, int i) {
    int c = b[i] & 0xff;
    int n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n == 0 || i + n > b.length) {
      return 0;
    }
    return utf8(new String(b, i, n, StandardCharsets.ISO_8859_1)) != null ? n : 0;
  }
}
