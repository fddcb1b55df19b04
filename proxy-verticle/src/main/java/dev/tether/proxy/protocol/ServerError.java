package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The server error codes the proxy reacts to (those it raises itself are {@link ErrorCode}).
 *
 * @see <a href="https://mariadb.com/kb/en/mariadb-error-code-reference/">MariaDB error codes</a>
 */
public final class ServerError {
  private ServerError() {}

  /** ER_SERVER_SHUTDOWN: the server is going down; the connection with it. */
  public static final int SERVER_SHUTDOWN = 1053;
  /** ER_CONNECTION_KILLED (MariaDB): this connection was killed. */
  public static final int CONNECTION_KILLED = 1927;
  /** ER_QUERY_INTERRUPTED: a KILL QUERY stopped the statement. */
  public static final int QUERY_INTERRUPTED = 1317;
  /** ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_BAD_DB_ERROR: a login refused. */
  public static final int DB_ACCESS_DENIED = 1044;
  public static final int ACCESS_DENIED = 1045;
  public static final int BAD_DB = 1049;

  /** The error code of an ERR packet payload, or 0 when it is too short to hold one. */
  public static int code(Buffer payload) {
    return payload.length() >= 3 ? payload.getUnsignedShortLE(1) : 0;
  }

  /** Whether an ERR says "this connection is being dropped", not "your statement failed". */
  public static boolean dropsConnection(int code) {
    return code == CONNECTION_KILLED || code == SERVER_SHUTDOWN;
  }

  /** Whether a login error is about the user or schema (final), not a connection fault. */
  public static boolean refusesLogin(int code) {
    return code == ACCESS_DENIED || code == BAD_DB || code == DB_ACCESS_DENIED;
  }
}
