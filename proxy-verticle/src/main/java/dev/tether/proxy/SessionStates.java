package dev.tether.proxy;

import dev.tether.proxy.session.RelaySession;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts one event loop's sessions by state ({@link ProxyMetrics#SESSION_STATES}) on that loop,
 * once a second, for the {@code tether_proxy_sessions{state}} gauge: a scrape never touches a session.
 */
final class SessionStates {
  private SessionStates() {}

  static void count(Collection<RelaySession> sessions, AtomicIntegerArray into) {
    int idle = 0;
    int busy = 0;
    int inTransaction = 0;
    int migrating = 0;
    for (RelaySession session : sessions) {
      if (session == null) {
        continue; // still in its handshake
      }
      if (session.migrating()) {
        migrating++;
      } else if (session.inTransaction()) {
        inTransaction++;
      } else if (session.quiescent()) {
        idle++;
      } else {
        busy++;
      }
    }
    into.set(0, idle);
    into.set(1, busy);
    into.set(2, inTransaction);
    into.set(3, migrating);
  }
}
