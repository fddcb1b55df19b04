package dev.tether.proxy.session;

import java.util.ArrayList;
import java.util.List;

/**
 * MySQL 8's spelling of the proxy's own session SQL. User variables are listed by
 * {@code performance_schema.user_variables_by_thread} for the connection's own thread
 * ({@code PS_CURRENT_THREAD_ID()}, 8.0.16+), which gives no type or character set: those come from
 * the value itself (its JSON type when wrapped in an array, its CHARSET()). The statement timeout is
 * {@code max_execution_time}; there is no EXECUTE IMMEDIATE, so non-ASCII statements are sent as
 * utf8mb4 with character_set_client switched around them; JSON columns refuse binary literals.
 *
 * @see <a href="https://dev.mysql.com/doc/refman/8.0/en/performance-schema-user-variable-tables.html">user variable tables</a>
 */
final class MySqlSql implements FlavorSql {
  static final MySqlSql INSTANCE = new MySqlSql();

  private MySqlSql() {}

  @Override
  public String readUserVariables() {
    return "SELECT VARIABLE_NAME, NULL, NULL, NULL FROM performance_schema.user_variables_by_thread"
        + " WHERE THREAD_ID = PS_CURRENT_THREAD_ID()"
        + " UNION ALL SELECT NULL, 'LAST_INSERT_ID', NULL, LAST_INSERT_ID()";
  }

  @Override
  public String describeUserVariables(List<String> names) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < names.size(); i++) {
      String v = FlavorSql.userVariable(names.get(i));
      String json = "JSON_TYPE(JSON_EXTRACT(JSON_ARRAY(" + v + "), '$[0]'))";
      sql.append(i == 0 ? "" : ", ")
          .append("CASE ").append(json).append(" WHEN 'INTEGER' THEN 'INT' WHEN 'UNSIGNED INTEGER' THEN 'INT UNSIGNED'")
          .append(" WHEN 'DECIMAL' THEN 'DECIMAL' WHEN 'DOUBLE' THEN 'DOUBLE' ELSE 'VARCHAR' END, CHARSET(").append(v)
          .append("), IF(").append(json).append(" IN ('INTEGER', 'UNSIGNED INTEGER', 'DECIMAL', 'DOUBLE'), ")
          .append(v).append(", NULL)");
    }
    return sql.toString();
  }

  @Override
  public String noStatementTimeout() {
    return "max_execution_time=0";
  }

  /**
   * Right after login character_set_client equals character_set_connection, so that is what a copy
   * restores; a later caller passes the session's own value.
   */
  @Override
  public List<String> portable(List<String> statements, String restoreClientCharset) {
    if (statements.stream().allMatch(FlavorSql::ascii)) {
      return statements;
    }
    List<String> portable = new ArrayList<>(statements.size() + 2);
    portable.add("SET SESSION character_set_client=utf8mb4");
    portable.addAll(statements);
    portable.add("SET SESSION character_set_client=" + restoreClientCharset);
    return portable;
  }

  @Override
  public String bytesLiteral(String type, String hex) {
    return type.startsWith("json") ? "CONVERT(X'" + hex + "' USING utf8mb4)" : "X'" + hex + "'";
  }
}
