package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the session's user variables and LAST_INSERT_ID back from its own backend connection: the
 * server says only "state changed" when they change. Names and types come from
 * information_schema.USER_VARIABLES; string values are read again as HEX(@name) with their
 * COLLATION(@name), because that table shows them through utf8mb3 (losing 4-byte characters and
 * binary bytes) and names only the character set.
 */
final class UserVariableReader {
  private static final String NAMES = "SELECT VARIABLE_NAME, VARIABLE_TYPE, CHARACTER_SET_NAME,"
      + " IF(VARIABLE_TYPE = 'VARCHAR', NULL, VARIABLE_VALUE) FROM information_schema.USER_VARIABLES"
      + " UNION ALL SELECT NULL, 'LAST_INSERT_ID', NULL, LAST_INSERT_ID()";

  private UserVariableReader() {}

  /** Reads the variables back; first re-asserts full session tracking when {@code restoreTracking}. */
  static Future<SessionState> refresh(BackendConnection backend, boolean deprecateEof, SessionState state,
                                      boolean restoreTracking) {
    List<InternalExchange.Request> requests = restoreTracking
        ? List.of(InternalExchange.Request.query(SessionReplayer.TRACKING), InternalExchange.Request.query(NAMES))
        : List.of(InternalExchange.Request.query(NAMES));
    return InternalExchange.run(backend, deprecateEof, requests)
        .compose(first -> {
          TextResult names = first.get(first.size() - 1);
          if (names.isError()) {
            return Future.failedFuture(new ReplayFailure("user_variables_unreadable", names.error().message()));
          }
          Map<String, SessionState.UserVariable> variables = new LinkedHashMap<>();
          List<String> strings = new ArrayList<>();
          long lastInsertId = 0;
          for (List<byte[]> row : names.rows()) {
            String type = utf8(row.get(1));
            if (row.get(0) == null && "LAST_INSERT_ID".equals(type)) {
              lastInsertId = Long.parseUnsignedLong(utf8(row.get(3)));
              continue;
            }
            String name = utf8(row.get(0));
            variables.put(name, new SessionState.UserVariable(type, utf8(row.get(2)), null, row.get(3)));
            if ("VARCHAR".equals(type)) {
              strings.add(name);
            }
          }
          SessionState withIds = state.withLastInsertId(lastInsertId);
          if (strings.isEmpty()) {
            return Future.succeededFuture(withIds.withUserVariables(variables));
          }
          StringBuilder sql = new StringBuilder("SELECT ");
          for (int i = 0; i < strings.size(); i++) {
            String quoted = "@`" + strings.get(i).replace("`", "``") + "`";
            sql.append(i == 0 ? "" : ", ").append("HEX(").append(quoted).append("), COLLATION(").append(quoted).append(")");
          }
          return InternalExchange.run(backend, deprecateEof, List.of(InternalExchange.Request.query(sql.toString())))
              .map(second -> {
                List<byte[]> values = second.get(0).rows().get(0);
                for (int i = 0; i < strings.size(); i++) {
                  SessionState.UserVariable v = variables.get(strings.get(i));
                  byte[] hex = values.get(2 * i);
                  variables.put(strings.get(i), new SessionState.UserVariable(v.type(), v.charset(),
                      utf8(values.get(2 * i + 1)), hex == null ? null : HexFormat.of().parseHex(utf8(hex))));
                }
                return withIds.withUserVariables(variables);
              });
        });
  }

  private static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
