package dev.gantry.expand;

/**
 * Expands the replacement of {@code ${x//pattern/replacement}} the way a regular-expression
 * "replace all" template does, for a pattern with no groups: {@code $$} is a dollar sign,
 * {@code $0} and {@code ${0}} are the whole match, any other well-formed {@code $name} or
 * {@code ${name}} is empty, and a malformed reference keeps its dollar sign.
 */
final class ReplacementTemplate {
  private ReplacementTemplate() {}

  static String expand(String template, String match) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i < n && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      int[] ref = reference(template, i);
      if (ref == null) {
        out.append('$');
        continue;
      }
      if (ref[1] == 1) {
        out.append(match);
      }
      i = ref[0];
    }
    return out.toString();
  }

  /**
   * Parses a reference starting after a dollar sign: {@code {end, isGroupZero}}, or null when
   * malformed (no name, or a brace that is not closed right after the name).
   */
  private static int[] reference(String s, int from) {
    int i = from;
    boolean brace = i < s.length() && s.charAt(i) == '{';
    if (brace) {
      i++;
    }
    int nameStart = i;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i == nameStart) {
      return null;
    }
    String name = s.substring(nameStart, i);
    if (brace) {
      if (i >= s.length() || s.charAt(i) != '}') {
        return null;
      }
      i++;
    }
    return new int[] {i, name.equals("0") ? 1 : 0};
  }
}
