package dev.tether.proxy.session;

import dev.tether.config.SessionConfig;

/**
 * Whether a session's state may still be rebuilt on a new backend connection, and if not, why:
 * too many items, too many bytes (prepared-statement texts, variables), or user variables the
 * proxy could not read back, so a rebuild would give them wrong values. A refused session is told
 * so at its next loss and closed, never rebuilt wrong.
 */
final class RebuildCheck {
  /** The metric label and the sentence the client and the log get. */
  record Refusal(ReplayFailure.Reason reason, String message) {}

  private RebuildCheck() {}

  /** Null when the session may be rebuilt; {@code lostState} is why its state is not fully known (null: it is). */
  static Refusal refusal(SessionState state, String lostState, SessionConfig config) {
    if (lostState != null) {
      return new Refusal(ReplayFailure.Reason.USER_VARIABLES_UNREADABLE, "its user variables could not be read back (" + lostState + ")");
    }
    if (state.size() > config.historyCap()) {
      return new Refusal(ReplayFailure.Reason.HISTORY_OVER_CAP, "its state holds " + state.size() + " items, over the history cap of "
          + config.historyCap());
    }
    long bytes = state.bytes();
    if (bytes > config.historyBytesCap()) {
      return new Refusal(ReplayFailure.Reason.HISTORY_OVER_BYTE_CAP, "its state holds " + bytes + " bytes, over the history byte cap of "
          + config.historyBytesCap());
    }
    return null;
  }
}
