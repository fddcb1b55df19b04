package dev.tether.proxy.node;

/**
 * Where a node's sessions stand during a switchover phase; what a phase acknowledgement reports.
 * {@code longestHoldMillis} is the longest a session's command waited in the last BLOCK (known at
 * RESTORE): the client-visible pause.
 */
public record SessionCounts(int sessions, int quiescent, int inTransaction, int migrating, long longestHoldMillis) {
  public static final SessionCounts NONE = new SessionCounts(0, 0, 0, 0, 0);

  public SessionCounts plus(SessionCounts other) {
    return new SessionCounts(sessions + other.sessions, quiescent + other.quiescent,
        inTransaction + other.inTransaction, migrating + other.migrating,
        Math.max(longestHoldMillis, other.longestHoldMillis));
  }
}
