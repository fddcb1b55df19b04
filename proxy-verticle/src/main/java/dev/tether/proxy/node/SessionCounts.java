package dev.tether.proxy.node;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a node's sessions stand during a switchover phase; what a phase acknowledgement reports.
 * {@code longestHoldMillis} is the longest a session's command waited in the last BLOCK (known at
 * RESTORE): the client-visible pause. Of the sessions in a transaction, {@code replayable} could be
 * replayed on a new backend now; {@code notReplayable} counts the others by reason (issue 11);
 * {@code carriable} are the replayable ones between commands, which a BLOCK in replay mode need
 * not wait for.
 */
public record SessionCounts(int sessions, int quiescent, int inTransaction, int migrating, long longestHoldMillis,
                            int replayable, int carriable, Map<String, Integer> notReplayable) {
  public static final SessionCounts NONE = new SessionCounts(0, 0, 0, 0, 0, 0, 0, Map.of());

  public SessionCounts {
    notReplayable = Map.copyOf(notReplayable);
  }

  public SessionCounts plus(SessionCounts other) {
    Map<String, Integer> reasons = new TreeMap<>(notReplayable);
    other.notReplayable.forEach((reason, count) -> reasons.merge(reason, count, Integer::sum));
    return new SessionCounts(sessions + other.sessions, quiescent + other.quiescent,
        inTransaction + other.inTransaction, migrating + other.migrating,
        Math.max(longestHoldMillis, other.longestHoldMillis), replayable + other.replayable,
        carriable + other.carriable, reasons);
  }
}
