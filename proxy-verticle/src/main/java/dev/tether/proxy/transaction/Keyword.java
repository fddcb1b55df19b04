package dev.tether.proxy.transaction;

import java.nio.charset.StandardCharsets;

/** The words {@link StatementCheck} decides by, found from upper-case bytes without allocating. */
enum Keyword {
  // statement kinds replay knows
  SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH, VALUES, TABLE, DO, SHOW, DESCRIBE, DESC, EXPLAIN, SAVEPOINT, RELEASE,
  ROLLBACK, BEGIN, START, COMMIT, TRANSACTION, TO,
  // statement kinds that commit implicitly or change session state
  ALTER, RENAME, TRUNCATE, GRANT, REVOKE, LOCK, UNLOCK, ANALYZE, OPTIMIZE, REPAIR, CHECK, FLUSH, RESET, CACHE, INSTALL,
  UNINSTALL, CHANGE, STOP, PURGE, XA, CREATE, DROP, LOAD, SET, USE, PREPARE, DEALLOCATE, HANDLER, CALL, TEMPORARY,
  // non-deterministic functions and values
  NOW, SYSDATE, CURDATE, CURTIME, UTC_DATE, UTC_TIME, UTC_TIMESTAMP, UNIX_TIMESTAMP, RAND, UUID, UUID_SHORT, SYS_GUID,
  CONNECTION_ID, LOAD_FILE, CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME, LOCALTIMESTAMP, LAST_INSERT_ID,
  // locks, waits, sequences, files
  GET_LOCK, RELEASE_LOCK, RELEASE_ALL_LOCKS, IS_FREE_LOCK, IS_USED_LOCK, NOWAIT, SKIP, LOCKED, WAIT, MODE, NEXTVAL,
  LASTVAL, SETVAL, NEXT, PREVIOUS, VALUE, INTO, OUTFILE, DUMPFILE;

  /** By length, then in declaration order: a word is compared with the few keywords of its length. */
  private static final Keyword[][] BY_LENGTH = new Keyword[24][];
  private static final byte[][] BYTES = new byte[values().length][];

  static {
    int[] counts = new int[BY_LENGTH.length];
    for (Keyword k : values()) {
      BYTES[k.ordinal()] = k.name().getBytes(StandardCharsets.US_ASCII);
      counts[k.name().length()]++;
    }
    for (int n = 0; n < BY_LENGTH.length; n++) {
      BY_LENGTH[n] = new Keyword[counts[n]];
      counts[n] = 0;
    }
    for (Keyword k : values()) {
      int n = k.name().length();
      BY_LENGTH[n][counts[n]++] = k;
    }
  }

  /** The keyword spelled by {@code upper[0, length)}, or null. */
  static Keyword find(byte[] upper, int length) {
    if (length >= BY_LENGTH.length) {
      return null;
    }
    candidates:
    for (Keyword k : BY_LENGTH[length]) {
      byte[] spelled = BYTES[k.ordinal()];
      for (int i = 0; i < length; i++) {
        if (spelled[i] != upper[i]) {
          continue candidates;
        }
      }
      return k;
    }
    return null;
  }
}
