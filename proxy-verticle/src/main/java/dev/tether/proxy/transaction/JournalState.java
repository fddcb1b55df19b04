package dev.tether.proxy.transaction;

/** Where a session's {@link TransactionJournal} stands: what GET /sessions can show of it. */
public enum JournalState {
  /** No transaction open: nothing held. */
  IDLE,
  /** A transaction is open and every statement so far is recorded and replayable. */
  RECORDING,
  /** A transaction is open and cannot be replayed; the journal's refusal says why. */
  REFUSED
}
