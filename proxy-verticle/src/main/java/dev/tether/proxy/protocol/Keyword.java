package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The leading keywords of a COM_QUERY that some part of the proxy acts on (retry safety, state
 * tracking, diagnostics, a ROLLBACK after a lost transaction). Any other word is {@link #OTHER};
 * a query with no leading word is {@link #NONE}.
 */
public enum Keyword {
  NONE, OTHER,
  SELECT, SHOW, DESCRIBE, DESC, EXPLAIN, HELP,
  INSERT, UPDATE, DELETE, REPLACE, DO, VALUES, WITH, SAVEPOINT, RELEASE,
  SET, PREPARE, DEALLOCATE, DROP, CREATE, ROLLBACK, GET;

  private static final Keyword[] WORDS = values();

  /** Reads are re-sent after a loss; nothing else is (see RetryPolicy). */
  public boolean isRead() {
    return switch (this) {
      case SELECT, SHOW, DESCRIBE, DESC, EXPLAIN, HELP -> true;
      default -> false;
    };
  }

  /** Statements that never end a transaction: losing one mid-transaction means it was rolled back. */
  public boolean neverCommits() {
    return switch (this) {
      case SELECT, INSERT, UPDATE, DELETE, REPLACE, SHOW, DESCRIBE, DESC, EXPLAIN, DO, VALUES, WITH, HELP,
           SAVEPOINT, RELEASE -> true;
      default -> false;
    };
  }

  /** The keyword spelled (in any case) by the ASCII letters {@code payload[start, end)}; no allocation. */
  static Keyword of(Buffer payload, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return NONE;
    }
    for (int w = 2; w < WORDS.length; w++) {
      String name = WORDS[w].name();
      if (name.length() == length && QueryScan.matchesUpper(payload, start, name)) {
        return WORDS[w];
      }
    }
    return OTHER;
  }
}
