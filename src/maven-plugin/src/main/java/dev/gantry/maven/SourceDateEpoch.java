package dev.gantry.maven;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads a build timestamp the way Maven's {@code project.build.outputTimestamp} is written: whole
 * seconds since 1970-01-01T00:00:00Z ({@code 1704067200}) or an ISO-8601 date-time with an offset
 * ({@code 2024-01-01T00:00:00Z}, {@code 2024-01-01T01:00:00+01:00}). Like Maven's archivers, a value
 * shorter than two characters means "not set"; fractions of a second are dropped.
 */
final class SourceDateEpoch {
  private SourceDateEpoch() {}

  /**
   * Returns the timestamp in seconds since the epoch, or null when {@code value} is null, blank or a
   * single character.
   *
   * @throws IllegalArgumentException when the value is neither form, or before 1970
   */
  static Long parse(String value) {
    if (value == null || value.trim().length() < 2) {
      return null;
    }
    String v = value.trim();
    long seconds;
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        seconds = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw invalid(v);
      }
    } else {
      try {
        seconds = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
      } catch (DateTimeException e) {
        throw invalid(v);
      }
    }
    if (seconds < 0) {
      throw new IllegalArgumentException("sourceDateEpoch '" + v + "' is before 1970-01-01T00:00:00Z");
    }
    return seconds;
  }

  private static IllegalArgumentException invalid(String v) {
    return new IllegalArgumentException("sourceDateEpoch '" + v + "' is neither seconds since 1970 nor an"
        + " ISO-8601 date-time with an offset such as 2024-01-01T00:00:00Z");
  }
}
