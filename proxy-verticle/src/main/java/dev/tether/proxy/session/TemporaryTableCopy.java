package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A session's temporary tables, read from its old backend connection during a planned switchover
 * (while the old primary still answers) and turned into the statements that recreate them, rows
 * included, on the new one. Neither reference product does this: there, temporary tables make a
 * session unmigratable.
 *
 * <p>The old connection is about to be closed, so it is reset freely: utf8mb4 names, sql_mode '',
 * UTC for TIMESTAMPs, and raw bytes for values (character_set_results NULL). Strings travel as hex
 * literals, whose bytes a character column takes as they are; numbers and temporal values as their
 * ASCII text, FLOAT read through DOUBLE so no digit is lost. Generated columns are left to the
 * server; invisible columns are copied. The new connection runs the statements before the session's
 * own variables are replayed, under NO_AUTO_VALUE_ON_ZERO and UTC, then returns both to defaults.
 * What MariaDB and MySQL 8 spell differently comes from the old server's {@link FlavorSql}: a
 * switchover moves a session between servers of one flavor.
 */
record TemporaryTableCopy(Set<String> tables, List<String> statements) {
  private static final int ER_NO_SUCH_TABLE = 1146;
  private static final int INSERT_BATCH_CHARS = 1 << 20;
  /** No statement may near one 16 MiB frame or a default max_allowed_packet: a larger row is not copied. */
  private static final int MAX_STATEMENT_CHARS = 8 << 20;
  private static final Pattern QUOTABLE = Pattern.compile("[ -~&&[^'\\\\]]*");
  private static final Pattern TEXT_TYPES = Pattern.compile(
      "(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|date|datetime|timestamp"
          + "|time|year|inet4|inet6|uuid)\\b.*");

  static final String BEFORE = "SET SESSION sql_mode='NO_AUTO_VALUE_ON_ZERO', time_zone='+00:00'";
  static final String AFTER = "SET SESSION sql_mode=DEFAULT, time_zone=DEFAULT";
  /** The new connection's character_set_client before the session's variables are replayed: as logged in. */
  private static final String AT_LOGIN_CLIENT_CHARSET = "@@session.character_set_connection";

  /** One column of a table: its name and type as SHOW COLUMNS gives them. */
  private record Column(String name, String type) {}

  /**
   * Reads {@code tables} from {@code old}, first rolling back the open transaction when
   * {@code rollBack}. Tables that no longer exist are left out; rows past {@code maxBytes} fail it.
   */
  static Future<TemporaryTableCopy> read(BackendConnection old, boolean deprecateEof, Set<String> tables,
                                         boolean rollBack, long maxBytes) {
    FlavorSql sql = FlavorSql.of(old.identity());
    List<InternalExchange.Request> describe = new ArrayList<>();
    if (rollBack) {
      describe.add(InternalExchange.Request.query("ROLLBACK"));
    }
    describe.add(InternalExchange.Request.query("SET NAMES utf8mb4"));
    describe.add(InternalExchange.Request.query("SET SESSION sql_mode='', time_zone='+00:00', sql_quote_show_create=1,"
        + " " + sql.noStatementTimeout()));
    for (String table : tables) {
      describe.add(InternalExchange.Request.query("SHOW CREATE TABLE " + table));
      describe.add(InternalExchange.Request.query("SHOW COLUMNS FROM " + table));
    }
    int first = describe.size() - 2 * tables.size();
    return InternalExchange.run(old, deprecateEof, describe).compose(described -> {
      for (int i = 0; i < first; i++) {
        requireOk(described.get(i));
      }
      Set<String> present = new LinkedHashSet<>();
      List<String> creates = new ArrayList<>();
      List<List<Column>> columns = new ArrayList<>();
      int index = first;
      for (String table : tables) {
        TextResult create = described.get(index++);
        TextResult shown = described.get(index++);
        if (create.isError() && create.error().errorCode() == ER_NO_SUCH_TABLE) {
          continue; // dropped in a way the proxy did not follow (a procedure, a rename): nothing to copy
        }
        requireOk(create);
        requireOk(shown);
        present.add(table);
        creates.add(qualify(utf8(create.rows().get(0).get(1)), utf8(create.rows().get(0).get(0)), table));
        List<Column> copied = new ArrayList<>();
        for (List<byte[]> row : shown.rows()) {
          if (!generated(utf8(row.get(5)))) {
            copied.add(new Column(utf8(row.get(0)), utf8(row.get(1)).toLowerCase(Locale.ROOT)));
          }
        }
        columns.add(copied);
      }
      List<InternalExchange.Request> select = new ArrayList<>();
      select.add(InternalExchange.Request.query("SET SESSION character_set_results=NULL"));
      List<String> names = new ArrayList<>(present);
      for (int t = 0; t < names.size(); t++) {
        select.add(InternalExchange.Request.query(selectAll(names.get(t), columns.get(t))));
      }
      return InternalExchange.run(old, deprecateEof, select, maxBytes).map(selected -> {
        requireOk(selected.get(0));
        List<String> statements = new ArrayList<>();
        statements.add(BEFORE);
        for (int t = 0; t < names.size(); t++) {
          TextResult rows = selected.get(t + 1);
          requireOk(rows);
          statements.add(creates.get(t));
          inserts(sql, names.get(t), columns.get(t), rows.rows(), statements);
        }
        statements.add(AFTER);
        return new TemporaryTableCopy(present, sql.portable(statements, AT_LOGIN_CLIENT_CHARSET));
      });
    });
  }

  /** SHOW CREATE TABLE names the table bare; the copy names it as the session did, schema included. */
  private static String qualify(String create, String shownName, String table) {
    String bare = "CREATE TEMPORARY TABLE " + TableName.quote(shownName);
    if (!create.startsWith(bare)) {
      throw new IllegalStateException("unexpected definition of temporary table " + table);
    }
    return "CREATE TEMPORARY TABLE " + table + create.substring(bare.length());
  }

  private static String selectAll(String table, List<Column> columns) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      String name = TableName.quote(column.name());
      sql.append(i == 0 ? "" : ", ").append(column.type().startsWith("float") ? "CAST(" + name + " AS DOUBLE)" : name);
    }
    return sql.append(" FROM ").append(table).toString();
  }

  private static void inserts(FlavorSql flavor, String table, List<Column> columns, List<List<byte[]>> rows, List<String> statements) {
    StringBuilder head = new StringBuilder("INSERT INTO ").append(table).append(" (");
    for (int i = 0; i < columns.size(); i++) {
      head.append(i == 0 ? "" : ", ").append(TableName.quote(columns.get(i).name()));
    }
    head.append(") VALUES ");
    StringBuilder sql = null;
    for (List<byte[]> row : rows) {
      if (sql == null) {
        sql = new StringBuilder(head);
      } else {
        sql.append(", ");
      }
      sql.append('(');
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(literal(flavor, columns.get(i).type(), row.get(i)));
      }
      sql.append(')');
      if (sql.length() >= INSERT_BATCH_CHARS) {
        statements.add(bounded(sql.toString(), table));
        sql = null;
      }
    }
    if (sql != null) {
      statements.add(bounded(sql.toString(), table));
    }
  }

  /** Bounds the statement as it will be sent: non-ASCII text may travel as hex, twice its UTF-8 bytes. */
  private static String bounded(String statement, String table) {
    long sent = FlavorSql.ascii(statement) ? statement.length()
        : 2L * statement.getBytes(StandardCharsets.UTF_8).length + 64;
    if (sent > MAX_STATEMENT_CHARS) {
      throw new IllegalStateException("a row of " + table + " is too large to copy (" + sent
          + " characters of SQL)");
    }
    return statement;
  }

  private static String literal(FlavorSql flavor, String type, byte[] value) {
    if (value == null) {
      return "NULL";
    }
    if (TEXT_TYPES.matcher(type).matches()) {
      String text = new String(value, StandardCharsets.US_ASCII);
      if (QUOTABLE.matcher(text).matches()) {
        return "'" + text + "'";
      }
    }
    return flavor.bytesLiteral(type, HexFormat.of().formatHex(value));
  }

  /**
   * A generated column, whose value the server computes: MySQL 8 also says DEFAULT_GENERATED of a
   * column whose default is an expression, and that one is copied.
   */
  static boolean generated(String extra) {
    return extra.toUpperCase(Locale.ROOT).replace("DEFAULT_GENERATED", "").contains("GENERATED");
  }

  private static void requireOk(TextResult result) {
    if (result.isError()) {
      throw new IllegalStateException(result.error().errorCode() + ": " + result.error().message());
    }
  }

  private static String utf8(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
