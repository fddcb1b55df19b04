package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendIdentity;
import java.util.List;

/**
 * Every piece of SQL the proxy runs on a session's backend connection that MariaDB and MySQL 8 spell
 * differently: reading the user variables back, lifting the statement timeout, sending a statement
 * with non-ASCII names whatever the connection's character set, and the literal a column takes.
 * Chosen per connection from its server's greeting; the rest of the proxy's SQL is common to both.
 */
sealed interface FlavorSql permits MariaDbSql, MySqlSql {

  static FlavorSql of(BackendIdentity server) {
    return switch (server.flavor()) {
      case MARIADB -> MariaDbSql.INSTANCE;
      case MYSQL -> MySqlSql.INSTANCE;
    };
  }

  /**
   * One query whose rows are the session's user variables, {@code (name, type, character set,
   * value unless a string)}, followed by one row {@code (NULL, 'LAST_INSERT_ID', NULL, id)}. The type
   * is NULL when the server does not say it: {@link #describeUserVariables} then tells it.
   */
  String readUserVariables();

  /**
   * One query, one row, three columns per name of {@code names} in order: type ({@code INT},
   * {@code INT UNSIGNED}, {@code DECIMAL}, {@code DOUBLE} or {@code VARCHAR}), character set, and
   * the value as text unless a string. Only for servers whose {@link #readUserVariables} leaves types NULL.
   */
  String describeUserVariables(List<String> names);

  /** The {@code SET SESSION} assignment that lets a copy's reads run however long they take. */
  String noStatementTimeout();

  /**
   * {@code statements} in a form the connection parses whatever its character_set_client: ASCII
   * ones as they are, the others as utf8mb4. {@code restoreClientCharset} is an SQL expression for
   * the connection's character_set_client, for a flavor that switches it while they run.
   */
  List<String> portable(List<String> statements, String restoreClientCharset);

  /** The literal that puts {@code hex} (a value's raw bytes) into a column of {@code type} (as SHOW COLUMNS names it). */
  String bytesLiteral(String type, String hex);

  /** The name as a user-variable reference, backquoted. */
  static String userVariable(String name) {
    return "@`" + name.replace("`", "``") + "`";
  }

  /** True when {@code sql} holds a character outside printable ASCII. */
  static boolean ascii(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      if (sql.charAt(i) > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
