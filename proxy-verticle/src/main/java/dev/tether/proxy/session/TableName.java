package dev.tether.proxy.session;

import java.util.ArrayList;
import java.util.List;

/**
 * A table as a statement names it, resolved against the schema that was current then: how the proxy
 * tracks temporary tables, so that a later USE does not change which table is meant. Names keep
 * their case (table names are case-sensitive on Linux servers); double quotes are read as
 * identifier quotes, as ANSI_QUOTES makes them (in a table name's place nothing else is valid).
 */
record TableName(String schema, String name) {
  private static final String IDENTIFIER = "(?:`(?:[^`]|``)+`|\"(?:[^\"]|\"\")+\"|[^\\s`\".,;()]+)";
  /** A regular-expression fragment for one table name, qualified or not. */
  static final String PATTERN = IDENTIFIER + "(?:\\s*\\.\\s*" + IDENTIFIER + ")?";
  /** A regular-expression fragment for a comma-separated list of table names. */
  static final String LIST_PATTERN = PATTERN + "(?:\\s*,\\s*" + PATTERN + ")*";

  /** Parses the names in {@code text} (which matches {@link #LIST_PATTERN}); unqualified ones are in {@code schema}. */
  static List<TableName> parseList(String text, String currentSchema) {
    List<TableName> names = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '.') {
        i++;
      } else if (c == ',') {
        names.add(of(parts, currentSchema));
        parts.clear();
        i++;
      } else if (c == '`' || c == '"') {
        StringBuilder identifier = new StringBuilder();
        i++;
        while (i < text.length()) {
          if (text.charAt(i) == c && i + 1 < text.length() && text.charAt(i + 1) == c) {
            identifier.append(c);
            i += 2;
          } else if (text.charAt(i) == c) {
            i++;
            break;
          } else {
            identifier.append(text.charAt(i++));
          }
        }
        parts.add(identifier.toString());
      } else {
        int start = i;
        while (i < text.length() && "`\".,;() \t\r\n".indexOf(text.charAt(i)) < 0) {
          i++;
        }
        parts.add(text.substring(start, i));
      }
    }
    if (!parts.isEmpty()) {
      names.add(of(parts, currentSchema));
    }
    return names;
  }

  private static TableName of(List<String> parts, String currentSchema) {
    return parts.size() >= 2 ? new TableName(parts.get(0), parts.get(1)) : new TableName(currentSchema, parts.get(0));
  }

  /** The name as SQL: {@code `schema`.`table`}, or {@code `table`} when no schema was current. */
  String quoted() {
    return schema == null ? quote(name) : quote(schema) + "." + quote(name);
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
