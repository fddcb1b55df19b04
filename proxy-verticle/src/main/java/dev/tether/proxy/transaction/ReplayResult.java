package dev.tether.proxy.transaction;

/**
 * The outcome of one replay, with the journal's refusal (for NOT_REPLAYABLE), the index of the
 * statement that decided it (-1: none), a sentence for the log and the client's error, and the
 * status flags the connection's last response left (the session's tracker takes them: after
 * REPLAYED they say a transaction is open; -1 when the replay sent nothing).
 */
public record ReplayResult(ReplayOutcome outcome, NotReplayable refusal, int statement, String detail,
                           int statusFlags) {

  static ReplayResult replayed(int statements, int statusFlags) {
    return new ReplayResult(ReplayOutcome.REPLAYED, null, -1, statements + " statement(s) replayed", statusFlags);
  }

  static ReplayResult failed(ReplayOutcome outcome, int statement, String detail, int statusFlags) {
    return new ReplayResult(outcome, null, statement, detail, statusFlags);
  }

  public static ReplayResult notReplayable(NotReplayable reason) {
    return new ReplayResult(ReplayOutcome.NOT_REPLAYABLE, reason, -1, reason.description(), -1);
  }

  public boolean replayed() {
    return outcome == ReplayOutcome.REPLAYED;
  }

  /** The metric label of a failure: the refusal's label when the journal refused, else the outcome's. */
  public String label() {
    return refusal != null ? refusal.label() : outcome.label();
  }
}
