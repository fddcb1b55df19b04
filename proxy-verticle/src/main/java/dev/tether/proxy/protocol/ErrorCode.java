package dev.tether.proxy.protocol;

/**
 * The server errors Tether itself raises, with the code and SQLSTATE a MySQL server would use for the
 * same condition, so clients classify them as they would the server's own.
 *
 * @see <a href="https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html">Server error reference</a>
 */
public enum ErrorCode {
  TOO_MANY_CONNECTIONS(1040, "08004"),
  OUT_OF_RESOURCES(1041, "HY000"),
  SERVER_SHUTDOWN(1053, "08S01"),
  HANDSHAKE_ERROR(1043, "08S01"),
  ACCESS_DENIED(1045, "28000"),
  NO_DB_ERROR(1046, "3D000"),
  UNKNOWN_COM_ERROR(1047, "08S01"),
  BAD_DB_ERROR(1049, "42000"),
  /** ER_HOST_IS_BLOCKED; Tether's block lifts by itself after the cool-down. */
  HOST_IS_BLOCKED(1129, "HY000"),
  /** ER_NO_SUCH_THREAD: a KILL of an id no session or thread has. */
  NO_SUCH_THREAD(1094, "HY000"),
  NET_PACKET_TOO_LARGE(1153, "08S01"),
  NET_READ_ERROR(1158, "08S01"),
  NET_PACKETS_OUT_OF_ORDER(1156, "08S01"),
  NET_READ_INTERRUPTED(1159, "08S01"),
  NOT_SUPPORTED_AUTH_MODE(1251, "08004"),
  UNKNOWN_STMT_HANDLER(1243, "HY000"),
  MALFORMED_PACKET(1835, "HY000"),
  /** Backend unreachable or lost with no way to recover the command. */
  BACKEND_UNAVAILABLE(1105, "08S01"),
  /** The connection was lost inside a transaction, which the server rolled back: retry the transaction. */
  TRANSACTION_LOST(1213, "40001"),
  /** The connection was lost while a write was in flight: it may or may not have been applied. */
  OUTCOME_UNKNOWN(1105, "HY000"),
  /** The connection was lost after part of the result reached the client: the statement failed. */
  RESULT_INTERRUPTED(1317, "70100"),
  /** Session state the new connection cannot have (temporary tables, long data, an open cursor) is gone. */
  SESSION_STATE_LOST(1105, "HY000"),
  CLIENT_INTERACTION_TIMEOUT(4031, "HY000");

  private final int code;
  private final String sqlState;

  ErrorCode(int code, String sqlState) {
    this.code = code;
    this.sqlState = sqlState;
  }

  public int code() {
    return code;
  }

  public String sqlState() {
    return sqlState;
  }

  public MySqlException exception(String message) {
    return new MySqlException(code, sqlState, message);
  }
}
