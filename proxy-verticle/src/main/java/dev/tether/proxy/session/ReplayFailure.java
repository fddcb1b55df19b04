package dev.tether.proxy.session;

import dev.tether.cluster.Labelled;

/** Why a session could not be rebuilt on a new backend connection; the reason is a metric label. */
final class ReplayFailure extends RuntimeException {
  /** Every reason a rebuild fails or is refused (tether.proxy.replays.failed{reason}). */
  enum Reason implements Labelled {
    /** The server refused the login: the user or the schema is gone. */
    LOGIN_REFUSED,
    /** No backend connection could be made within the hold window. */
    HOLD_WINDOW_EXPIRED,
    /** A replayed statement failed. */
    REPLAY_STEP_FAILED,
    /** A prepared statement could not be prepared again, or its parameter count changed. */
    REPREPARE_FAILED,
    /** The user variables could not be read back, so their values are not known. */
    USER_VARIABLES_UNREADABLE,
    /** The state holds more items than session.historyCap. */
    HISTORY_OVER_CAP,
    /** The state holds more bytes than session.historyBytesCap. */
    HISTORY_OVER_BYTE_CAP,
    /** Anything else that stopped the reconnection. */
    RECONNECT_FAILED
  }

  private final Reason reason;

  ReplayFailure(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
