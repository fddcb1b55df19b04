package dev.tether.proxy.session;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SET statements that give a new connection the session's user variables, each well under one
 * packet: small variables together in one statement, a string larger than {@link #PIECE} bytes
 * built up in pieces as binary and converted to its character set and collation at the end, so
 * variables of any size come back byte for byte.
 */
final class UserVariableReplay {
  /** Bytes of value per statement (twice that in hex): far under one 16 MiB packet. */
  static final int PIECE = 4 * 1024 * 1024;

  private UserVariableReplay() {}

  static List<String> statements(Map<String, SessionState.UserVariable> variables) {
    List<String> statements = new ArrayList<>();
    Map<String, SessionState.UserVariable> group = new LinkedHashMap<>();
    long groupBytes = 0;
    for (Map.Entry<String, SessionState.UserVariable> entry : variables.entrySet()) {
      SessionState.UserVariable variable = entry.getValue();
      int size = variable.value() == null ? 0 : variable.value().length;
      if (size > PIECE) {
        statements.addAll(inPieces(entry.getKey(), variable));
        continue;
      }
      if (groupBytes + size > PIECE && !group.isEmpty()) {
        statements.add(SessionReplayer.setUserVariables(group));
        group = new LinkedHashMap<>();
        groupBytes = 0;
      }
      group.put(entry.getKey(), variable);
      groupBytes += size;
    }
    if (!group.isEmpty()) {
      statements.add(SessionReplayer.setUserVariables(group));
    }
    return statements;
  }

  private static List<String> inPieces(String name, SessionState.UserVariable variable) {
    String target = "@`" + name.replace("`", "``") + "`";
    byte[] value = variable.value();
    List<String> statements = new ArrayList<>();
    for (int from = 0; from < value.length; from += PIECE) {
      String hex = HexFormat.of().formatHex(value, from, Math.min(value.length, from + PIECE));
      statements.add(from == 0 ? "SET " + target + " = X'" + hex + "'"
          : "SET " + target + " = CONCAT(" + target + ", X'" + hex + "')");
    }
    if (variable.charset() != null && !"binary".equals(variable.charset())) {
      String collate = variable.collation() == null || "binary".equals(variable.collation())
          ? "" : " COLLATE " + variable.collation();
      statements.add("SET " + target + " = CONVERT(" + target + " USING " + variable.charset() + ")" + collate);
    }
    return statements;
  }
}
