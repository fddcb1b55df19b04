package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link SessionState} on a fresh backend connection (already logged in with the user,
 * schema and handshake collation): session tracking first, then only the dirty parts — system
 * variables, user variables, LAST_INSERT_ID, SQL-level PREPAREs, next-transaction characteristics
 * and binary prepared statements — pipelined in one round trip, each reply checked. A planned
 * switchover also brings the session's temporary tables, recreated before the variables.
 */
final class SessionReplayer {
  private static final Logger log = LoggerFactory.getLogger(SessionReplayer.class);
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  /**
   * What the proxy needs from every backend connection: the server reporting every state change.
   * Transaction tracking stays off: the status flags already say whether a transaction is open, and
   * with it on every BEGIN, read and COMMIT flags "state changed", which an EOF cannot explain.
   */
  static final String TRACKING = "SET SESSION session_track_schema=ON, session_track_state_change=ON,"
      + " session_track_system_variables='*', session_track_transaction_info='OFF'";

  private SessionReplayer() {}

  /**
   * What a replay produced: where each client statement id now lives on the backend, and why the
   * temporary tables could not be recreated (null when they were, or there were none to copy).
   */
  record Replayed(Map<Long, Long> statementIds, String tableCopyFailure) {}

  /** Replays {@code state}; completes with where each client statement id now lives on the backend. */
  static Future<Map<Long, Long>> replay(BackendConnection backend, SessionState state, boolean deprecateEof,
                                        long sessionId) {
    return replay(backend, state, null, deprecateEof, sessionId).map(Replayed::statementIds);
  }

  /**
   * Replays {@code state}, recreating the temporary tables of {@code tables} first when it is not
   * null. A table that cannot be recreated does not fail the replay: every copied table is dropped
   * again and the reason returned, so the session goes on without them and is told so.
   */
  static Future<Replayed> replay(BackendConnection backend, SessionState state, TemporaryTableCopy tables,
                                 boolean deprecateEof, long sessionId) {
    List<InternalExchange.Request> requests = new ArrayList<>();
    List<String> described = new ArrayList<>();
    requests.add(InternalExchange.Request.query(TRACKING));
    described.add("session tracking");
    int copyFrom = requests.size();
    if (tables != null) {
      tables.statements().forEach(sql -> requests.add(InternalExchange.Request.query(sql)));
      described.add(tables.tables().size() + " temporary table(s)");
    }
    int copyTo = requests.size();
    if (state.isDirty(SessionState.SYSTEM_VARIABLES)) {
      requests.add(InternalExchange.Request.query(setSystemVariables(state.systemVariables())));
      described.add(state.systemVariables().size() + " system variable(s)");
    }
    if (state.isDirty(SessionState.USER_VARIABLES)) {
      UserVariableReplay.statements(state.userVariables()).forEach(sql -> requests.add(InternalExchange.Request.query(sql)));
      described.add(state.userVariables().size() + " user variable(s)");
    }
    if (state.isDirty(SessionState.LAST_INSERT_ID)) {
      requests.add(InternalExchange.Request.query("DO LAST_INSERT_ID(" + Long.toUnsignedString(state.lastInsertId()) + ")"));
      described.add("LAST_INSERT_ID");
    }
    for (String prepare : state.sqlPrepared().values()) {
      requests.add(InternalExchange.Request.query(prepare));
    }
    if (!state.sqlPrepared().isEmpty()) {
      described.add(state.sqlPrepared().size() + " SQL PREPARE(s)");
    }
    if (state.isDirty(SessionState.NEXT_TRANSACTION)) {
      requests.add(InternalExchange.Request.query(state.nextTransaction().sql())); // built from parsed values
      described.add("next-transaction characteristics");
    }
    List<Long> clientIds = new ArrayList<>(state.preparedStatements().keySet());
    for (long clientId : clientIds) {
      requests.add(InternalExchange.Request.prepare(state.preparedStatements().get(clientId).sql()));
    }
    if (!clientIds.isEmpty()) {
      described.add(clientIds.size() + " prepared statement(s)");
    }
    return InternalExchange.run(backend, deprecateEof, requests).compose(results -> {
      String copyFailure = null;
      int firstPrepare = results.size() - clientIds.size();
      for (int i = 0; i < firstPrepare; i++) {
        TextResult result = results.get(i);
        if (result.isError() && i >= copyFrom && i < copyTo) {
          copyFailure = copyFailure != null ? copyFailure : result.error().errorCode() + ": " + result.error().message();
        } else if (result.isError()) {
          throw new ReplayFailure(ReplayFailure.Reason.REPLAY_STEP_FAILED, "replaying a session step failed with "
              + result.error().errorCode() + ": " + result.error().message());
        }
      }
      Map<Long, Long> ids = new HashMap<>();
      for (int i = 0; i < clientIds.size(); i++) {
        TextResult result = results.get(firstPrepare + i);
        long clientId = clientIds.get(i);
        SessionState.PreparedStatement original = state.preparedStatements().get(clientId);
        if (result.isError() || result.prepareOk().paramCount() != original.paramCount()) {
          throw new ReplayFailure(ReplayFailure.Reason.REPREPARE_FAILED, "re-preparing statement " + clientId + " failed"
              + (result.isError() ? ": " + result.error().message() : ": its parameter count changed"));
        }
        ids.put(clientId, result.prepareOk().statementId());
      }
      log.debug("session {}: replayed {}", sessionId, String.join(", ", described));
      Replayed replayed = new Replayed(ids, copyFailure);
      if (copyFailure == null) {
        return Future.succeededFuture(replayed);
      }
      List<InternalExchange.Request> drop = new ArrayList<>();
      FlavorSql.of(backend.identity()).portable(List.of("DROP TEMPORARY TABLE IF EXISTS "
          + String.join(", ", tables.tables())), clientCharset(state)).forEach(sql -> drop.add(InternalExchange.Request.query(sql)));
      return InternalExchange.run(backend, deprecateEof, drop).map(dropped -> replayed);
    });
  }

  /**
   * The session's character_set_client once replayed, as an SQL expression: the value it set, or
   * else the one it logged in with, which character_set_connection still holds unless it set that alone.
   */
  private static String clientCharset(SessionState state) {
    String set = state.systemVariables().get("character_set_client");
    return set == null ? "@@session.character_set_connection" : systemLiteral("character_set_client", set);
  }

  static String setSystemVariables(Map<String, String> variables) {
    StringBuilder sql = new StringBuilder("SET SESSION ");
    variables.forEach((name, value) -> {
      if (sql.length() > 12) {
        sql.append(", ");
      }
      sql.append('`').append(name.replace("`", "``")).append("`=").append(systemLiteral(name, value));
    });
    return sql.toString();
  }

  private static String systemLiteral(String name, String value) {
    if (value == null || (value.isEmpty() && name.startsWith("character_set_"))) {
      return "NULL";
    }
    if (NUMBER.matcher(value).matches()) {
      return value;
    }
    return quote(value);
  }

  static String setUserVariables(Map<String, SessionState.UserVariable> variables) {
    StringBuilder sql = new StringBuilder("SET ");
    variables.forEach((name, variable) -> {
      if (sql.length() > 4) {
        sql.append(", ");
      }
      sql.append("@`").append(name.replace("`", "``")).append("`=").append(userLiteral(variable));
    });
    return sql.toString();
  }

  private static String userLiteral(SessionState.UserVariable variable) {
    if (variable.value() == null) {
      return typedNull(variable); // a NULL keeps its type: it decides how expressions coerce it
    }
    String hex = HexFormat.of().formatHex(variable.value());
    return switch (variable.type()) {
      case "INT", "INT UNSIGNED", "DECIMAL", "DOUBLE", "REAL" -> new String(variable.value(), java.nio.charset.StandardCharsets.US_ASCII);
      default -> variable.charset() == null || "binary".equals(variable.charset())
          ? "X'" + hex + "'"
          : "_" + variable.charset() + " X'" + hex + "'" + collate(variable);
    };
  }

  private static String collate(SessionState.UserVariable variable) {
    return variable.collation() == null || "binary".equals(variable.collation()) ? "" : " COLLATE " + variable.collation();
  }

  private static String typedNull(SessionState.UserVariable variable) {
    return switch (variable.type()) {
      case "INT" -> "CAST(NULL AS SIGNED)";
      case "INT UNSIGNED" -> "CAST(NULL AS UNSIGNED)";
      case "DECIMAL" -> "CAST(NULL AS DECIMAL)";
      case "DOUBLE", "REAL" -> "CAST(NULL AS DOUBLE)";
      default -> variable.charset() == null || "binary".equals(variable.charset())
          ? "NULL"
          : "CAST(NULL AS CHAR CHARACTER SET " + variable.charset() + ")" + collate(variable);
    };
  }

  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
