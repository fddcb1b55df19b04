package dev.tether.proxy.protocol;

/**
 * Capability flags. The low 32 bits are MySQL's; MariaDB's extended capabilities occupy bits 32..63
 * (sent in the last four filler bytes of the handshake when CLIENT_MYSQL is clear).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capabilities</a>
 * @see <a href="https://mariadb.com/kb/en/connection/#capabilities">MariaDB capabilities</a>
 */
public final class Capabilities {
  private Capabilities() {}

  /** CLIENT_LONG_PASSWORD for MySQL; MariaDB servers clear it to say "I am MariaDB" (CLIENT_MYSQL). */
  public static final long CLIENT_MYSQL = 1L;
  public static final long CLIENT_FOUND_ROWS = 1L << 1;
  public static final long CLIENT_LONG_FLAG = 1L << 2;
  public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
  public static final long CLIENT_NO_SCHEMA = 1L << 4;
  public static final long CLIENT_COMPRESS = 1L << 5;
  public static final long CLIENT_ODBC = 1L << 6;
  public static final long CLIENT_LOCAL_FILES = 1L << 7;
  public static final long CLIENT_IGNORE_SPACE = 1L << 8;
  public static final long CLIENT_PROTOCOL_41 = 1L << 9;
  public static final long CLIENT_INTERACTIVE = 1L << 10;
  public static final long CLIENT_SSL = 1L << 11;
  public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
  public static final long CLIENT_TRANSACTIONS = 1L << 13;
  public static final long CLIENT_RESERVED = 1L << 14;
  public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
  public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
  public static final long CLIENT_MULTI_RESULTS = 1L << 17;
  public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
  public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
  public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
  public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
  public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
  public static final long CLIENT_SESSION_TRACK = 1L << 23;
  public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
  public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
  public static final long CLIENT_ZSTD_COMPRESSION = 1L << 26;
  public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;

  public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
  public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
  public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
  public static final long MARIADB_CLIENT_EXTENDED_TYPE_INFO = 1L << 35;
  public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;

  /**
   * What Tether understands well enough to promise a client. Everything else (compression, query
   * attributes, optional metadata, MariaDB progress reports, COM_MULTI, bulk execution, metadata
   * caching) changes packet layouts Tether must parse, so it is never advertised. CLIENT_SSL is
   * added separately when frontend TLS is on.
   */
  public static final long PROXY_SUPPORTED = CLIENT_MYSQL | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
      | CLIENT_CONNECT_WITH_DB | CLIENT_NO_SCHEMA | CLIENT_ODBC | CLIENT_LOCAL_FILES | CLIENT_IGNORE_SPACE
      | CLIENT_PROTOCOL_41 | CLIENT_INTERACTIVE | CLIENT_IGNORE_SIGPIPE | CLIENT_TRANSACTIONS
      | CLIENT_RESERVED | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS
      | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS
      | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS | CLIENT_SESSION_TRACK
      | CLIENT_DEPRECATE_EOF | MARIADB_CLIENT_EXTENDED_TYPE_INFO;

  /** Flags the proxy always sets towards a backend, whatever the client chose. */
  public static final long BACKEND_REQUIRED = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH
      | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_TRANSACTIONS | CLIENT_SESSION_TRACK;

  /** Client choices that change what a backend sends or how it behaves, so they are passed on. */
  public static final long BACKEND_FROM_CLIENT = CLIENT_MYSQL | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
      | CLIENT_NO_SCHEMA | CLIENT_ODBC | CLIENT_LOCAL_FILES | CLIENT_IGNORE_SPACE | CLIENT_INTERACTIVE
      | CLIENT_IGNORE_SIGPIPE | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS
      | CLIENT_CONNECT_ATTRS | CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS | CLIENT_DEPRECATE_EOF
      | MARIADB_CLIENT_EXTENDED_TYPE_INFO;

  public static boolean has(long flags, long flag) {
    return (flags & flag) != 0;
  }
}
