package dev.tether.proxy.transaction;

/**
 * The outcome of one replay, with the journal's refusal (for NOT_REPLAYABLE), the index of the
 * statement that decided it (-1: none), and a sentence for the log and the client's error.
 */
public record ReplayResult(ReplayOutcome outcome, NotReplayable refusal, int statement, String detail) {

  static ReplayResult replayed(int statements) {
    return new ReplayResult(ReplayOutcome.REPLAYED, null, -1, statements + " statement(s) replayed");
  }

  static ReplayResult failed(ReplayOutcome outcome, int statement, String detail) {
    return new ReplayResult(outcome, null, statement, detail);
  }

  public static ReplayResult notReplayable(NotReplayable reason) {
    return new ReplayResult(ReplayOutcome.NOT_REPLAYABLE, reason, -1, reason.description());
  }

  public boolean replayed() {
    return outcome == ReplayOutcome.REPLAYED;
  }

  /** The metric label of a failure: the refusal's label when the journal refused, else the outcome's. */
  public String label() {
    return refusal != null ? refusal.label() : outcome.label();
  }
}
