package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV record (comma-separated, {@code "..."} quoting with {@code ""} escapes). */
final class CsvFields {
  private CsvFields() {}

  /** The fields of {@code line}; {@code what} names the value in errors ("mounts", "devices"). */
  static List<String> split(String line, String what) {
    List<String> out = new ArrayList<>();
    if (line.isEmpty()) {
      return out;
    }
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (true) {
      cur.setLength(0);
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new IllegalArgumentException("failed to parse csv " + what + ": extraneous or missing \" in quoted-field");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              cur.append('"');
              i++;
            } else {
              break;
            }
          } else {
            cur.append(c);
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException("failed to parse csv " + what + ": extraneous or missing \" in quoted-field");
        }
      } else {
        while (i < line.length() && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException("failed to parse csv " + what + ": bare \" in non-quoted-field");
          }
          cur.append(c);
        }
      }
      out.add(cur.toString());
      if (i >= line.length()) {
        return out;
      }
      i++; // the comma
    }
  }
}
