package dev.tether.proxy;

/** Where a node's sessions stand during a switchover phase; what a phase acknowledgement reports. */
public record SessionCounts(int sessions, int quiescent, int inTransaction, int migrating) {
  public static final SessionCounts NONE = new SessionCounts(0, 0, 0, 0);

  public SessionCounts plus(SessionCounts other) {
    return new SessionCounts(sessions + other.sessions, quiescent + other.quiescent,
        inTransaction + other.inTransaction, migrating + other.migrating);
  }
}
