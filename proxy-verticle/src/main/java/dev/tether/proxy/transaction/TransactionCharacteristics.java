package dev.tether.proxy.transaction;

/**
 * The one-shot characteristics {@code SET TRANSACTION ...} (no GLOBAL/SESSION) gives the next
 * transaction, as parsed values (the session parses them, {@code session.SetTransactionStatement}).
 * Replay sends {@link #sql()}, which the proxy builds from them: client text is never re-sent, so
 * nothing hidden in a comment or behind a {@code ;} can run again.
 * https://mariadb.com/kb/en/set-transaction/
 */
public record TransactionCharacteristics(Isolation isolation, AccessMode accessMode) {

  public enum Isolation {
    READ_UNCOMMITTED("READ UNCOMMITTED"), READ_COMMITTED("READ COMMITTED"), REPEATABLE_READ("REPEATABLE READ"),
    SERIALIZABLE("SERIALIZABLE");

    private final String sql;

    Isolation(String sql) {
      this.sql = sql;
    }

    /** The level as SET TRANSACTION spells it. */
    public String sql() {
      return sql;
    }
  }

  public enum AccessMode { READ_ONLY, READ_WRITE }

  /** These characteristics with those {@code later} sets replacing them (two SET TRANSACTIONs in a row). */
  public TransactionCharacteristics then(TransactionCharacteristics later) {
    return new TransactionCharacteristics(later.isolation != null ? later.isolation : isolation,
        later.accessMode != null ? later.accessMode : accessMode);
  }

  /** The statement replay sends, built from the parsed values only. */
  public String sql() {
    StringBuilder sql = new StringBuilder("SET TRANSACTION ");
    if (isolation != null) {
      sql.append("ISOLATION LEVEL ").append(isolation.sql);
    }
    if (accessMode != null) {
      sql.append(isolation != null ? ", " : "").append(accessMode == AccessMode.READ_ONLY ? "READ ONLY" : "READ WRITE");
    }
    return sql.toString();
  }
}
