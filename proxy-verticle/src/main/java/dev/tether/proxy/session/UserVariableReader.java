package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the session's user variables and LAST_INSERT_ID back from its own backend connection: the
 * server says only "state changed" when they change. Names (and on MariaDB types) come from the
 * flavor's table ({@link FlavorSql#readUserVariables}); on MySQL 8 a second query types them. String
 * values are read again as their raw bytes with their COLLATION(@name), in pieces, because MariaDB's
 * table shows them through utf8mb3 (losing 4-byte characters and binary bytes), names only the
 * character set, and a row cannot pass one frame.
 */
final class UserVariableReader {
  /** Bytes of one variable read per row: well under one 16 MiB frame. */
  private static final int PIECE = 4 * 1024 * 1024;

  private UserVariableReader() {}

  /** Reads the variables back; first re-asserts full session tracking when {@code restoreTracking}. */
  static Future<SessionState> refresh(BackendConnection backend, boolean deprecateEof, SessionState state,
                                      boolean restoreTracking) {
    FlavorSql sql = FlavorSql.of(backend.identity());
    List<InternalExchange.Request> requests = restoreTracking
        ? List.of(InternalExchange.Request.query(SessionReplayer.TRACKING),
            InternalExchange.Request.query(sql.readUserVariables()))
        : List.of(InternalExchange.Request.query(sql.readUserVariables()));
    return InternalExchange.run(backend, deprecateEof, requests)
        .compose(first -> {
          TextResult names = first.get(first.size() - 1);
          if (names.isError()) {
            return Future.failedFuture(new ReplayFailure(ReplayFailure.Reason.USER_VARIABLES_UNREADABLE, names.error().message()));
          }
          Map<String, SessionState.UserVariable> variables = new LinkedHashMap<>();
          List<String> untyped = new ArrayList<>();
          long lastInsertId = 0;
          for (List<byte[]> row : names.rows()) {
            String type = utf8(row.get(1));
            if (row.get(0) == null && "LAST_INSERT_ID".equals(type)) {
              lastInsertId = Long.parseUnsignedLong(utf8(row.get(3)));
              continue;
            }
            String name = utf8(row.get(0));
            variables.put(name, new SessionState.UserVariable(type, utf8(row.get(2)), null, row.get(3)));
            if (type == null) {
              untyped.add(name);
            }
          }
          SessionState withIds = state.withLastInsertId(lastInsertId);
          return typed(backend, deprecateEof, sql, untyped, variables).compose(all -> {
            List<String> strings = new ArrayList<>();
            all.forEach((name, variable) -> {
              if ("VARCHAR".equals(variable.type())) {
                strings.add(name);
              }
            });
            return strings.isEmpty() ? Future.succeededFuture(withIds.withUserVariables(all))
                : readStrings(backend, deprecateEof, strings, all).map(withIds::withUserVariables);
          });
        });
  }

  /** Fills in the type, character set and number of each variable in {@code untyped} (MySQL 8). */
  private static Future<Map<String, SessionState.UserVariable>> typed(BackendConnection backend,
      boolean deprecateEof, FlavorSql sql, List<String> untyped, Map<String, SessionState.UserVariable> variables) {
    if (untyped.isEmpty()) {
      return Future.succeededFuture(variables);
    }
    return InternalExchange.run(backend, deprecateEof,
            List.of(InternalExchange.Request.query(sql.describeUserVariables(untyped))))
        .map(described -> {
          TextResult result = described.get(0);
          if (result.isError()) {
            throw new ReplayFailure(ReplayFailure.Reason.USER_VARIABLES_UNREADABLE, result.error().message());
          }
          List<byte[]> row = result.rows().get(0);
          for (int i = 0; i < untyped.size(); i++) {
            variables.put(untyped.get(i), new SessionState.UserVariable(utf8(row.get(3 * i)), utf8(row.get(3 * i + 1)),
                null, row.get(3 * i + 2)));
          }
          return variables;
        });
  }

  /**
   * Reads string values as their raw bytes (CAST AS BINARY: the binary character set is never
   * converted) in pieces of at most {@link #PIECE} bytes, so no result row nears one 16 MiB frame
   * however large the variables are: first every length and collation, then the pieces, pipelined.
   */
  private static Future<Map<String, SessionState.UserVariable>> readStrings(BackendConnection backend,
      boolean deprecateEof, List<String> strings, Map<String, SessionState.UserVariable> variables) {
    StringBuilder sizes = new StringBuilder("SELECT ");
    for (int i = 0; i < strings.size(); i++) {
      String quoted = quoted(strings.get(i));
      sizes.append(i == 0 ? "" : ", ").append("LENGTH(CAST(").append(quoted).append(" AS BINARY)), COLLATION(")
          .append(quoted).append(")");
    }
    return InternalExchange.run(backend, deprecateEof, List.of(InternalExchange.Request.query(sizes.toString())))
        .compose(first -> {
          List<byte[]> row = first.get(0).rows().get(0);
          List<InternalExchange.Request> pieces = new ArrayList<>();
          long[] lengths = new long[strings.size()];
          for (int i = 0; i < strings.size(); i++) {
            lengths[i] = row.get(2 * i) == null ? -1 : Long.parseLong(utf8(row.get(2 * i)));
            for (long from = 0; from < lengths[i]; from += PIECE) {
              pieces.add(InternalExchange.Request.query("SELECT SUBSTRING(CAST(" + quoted(strings.get(i))
                  + " AS BINARY), " + (from + 1) + ", " + PIECE + ")"));
            }
          }
          Future<List<TextResult>> read = pieces.isEmpty() ? Future.succeededFuture(List.of())
              : InternalExchange.run(backend, deprecateEof, pieces);
          return read.map(results -> {
            int next = 0;
            for (int i = 0; i < strings.size(); i++) {
              byte[] value = null;
              if (lengths[i] >= 0) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((int) lengths[i]);
                for (long from = 0; from < lengths[i]; from += PIECE) {
                  bytes.writeBytes(results.get(next++).rows().get(0).get(0));
                }
                value = bytes.toByteArray();
              }
              SessionState.UserVariable v = variables.get(strings.get(i));
              variables.put(strings.get(i), new SessionState.UserVariable(v.type(), v.charset(),
                  utf8(row.get(2 * i + 1)), value));
            }
            return variables;
          });
        });
  }

  private static String quoted(String name) {
    return FlavorSql.userVariable(name);
  }

  private static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
