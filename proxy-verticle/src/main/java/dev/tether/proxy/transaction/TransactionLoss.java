package dev.tether.proxy.transaction;

/**
 * What a lost backend connection means for the session's open transaction, as the journal decided
 * it. {@code REPLAY}: run {@link TransactionReplay}, then re-send the command in flight, if any.
 * {@code COMMIT_IN_FLIGHT}: resolve with {@link CommitMarker#resolve} ({@code marker} null: without
 * one the outcome is unknown: 1105/HY000). {@code REFUSED}: not replayable for {@code reason}; the
 * session's own rules apply as today (1213/40001 for statements that cannot have committed,
 * "outcome unknown" for a COMMIT or implicit commit in flight, RetryPolicy.cannotHaveCommitted).
 * {@code ROLLED_BACK}: a ROLLBACK was in flight; answer it OK. {@code NO_TRANSACTION}: the session's
 * own rules apply. {@code BEGIN_IN_FLIGHT}: the BEGIN / START TRANSACTION that would have opened
 * one was in flight, outside a transaction: it changed no data, so it may be re-sent.
 */
public record TransactionLoss(Kind kind, NotReplayable reason, CommitMarker.Token marker) {
  public enum Kind { NO_TRANSACTION, REPLAY, COMMIT_IN_FLIGHT, REFUSED, ROLLED_BACK, BEGIN_IN_FLIGHT }
}
