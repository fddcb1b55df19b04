package dev.tether.proxy.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * MariaDB's spelling of the proxy's own session SQL: {@code information_schema.USER_VARIABLES}
 * names and types every user variable (strings through utf8mb3, so they are read again as bytes),
 * {@code max_statement_time}, and {@code EXECUTE IMMEDIATE} of a utf8mb4 string for non-ASCII text.
 *
 * @see <a href="https://mariadb.com/kb/en/information-schema-user_variables-table/">USER_VARIABLES</a>
 */
final class MariaDbSql implements FlavorSql {
  static final MariaDbSql INSTANCE = new MariaDbSql();

  private MariaDbSql() {}

  @Override
  public String readUserVariables() {
    return "SELECT VARIABLE_NAME, VARIABLE_TYPE, CHARACTER_SET_NAME,"
        + " IF(VARIABLE_TYPE = 'VARCHAR', NULL, VARIABLE_VALUE) FROM information_schema.USER_VARIABLES"
        + " UNION ALL SELECT NULL, 'LAST_INSERT_ID', NULL, LAST_INSERT_ID()";
  }

  /** Never needed: USER_VARIABLES types every variable. */
  @Override
  public String describeUserVariables(List<String> names) {
    throw new IllegalStateException("information_schema.USER_VARIABLES types every user variable");
  }

  @Override
  public String noStatementTimeout() {
    return "max_statement_time=0";
  }

  @Override
  public List<String> portable(List<String> statements, String restoreClientCharset) {
    List<String> portable = new ArrayList<>(statements.size());
    for (String sql : statements) {
      portable.add(FlavorSql.ascii(sql) ? sql : "EXECUTE IMMEDIATE CONVERT(X'"
          + HexFormat.of().formatHex(sql.getBytes(StandardCharsets.UTF_8)) + "' USING utf8mb4)");
    }
    return portable;
  }

  @Override
  public String bytesLiteral(String type, String hex) {
    return "X'" + hex + "'"; // MariaDB's JSON is LONGTEXT: its bytes go in as they are
  }
}
