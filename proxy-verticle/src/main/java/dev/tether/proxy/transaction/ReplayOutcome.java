package dev.tether.proxy.transaction;

/** How a transaction replay ended; every value but REPLAYED means "rolled back, retry" for the client. */
public enum ReplayOutcome {
  /** Every statement ran again and returned exactly what the client had seen: carry on. */
  REPLAYED("replayed"),
  /** The journal had refused the transaction before the loss; {@link ReplayResult#refusal()} says why. */
  NOT_REPLAYABLE("not_replayable"),
  /** A statement returned something else than the client saw (another session changed the data). */
  MISMATCH("mismatch"),
  /** Starting the transaction failed, or a statement failed where the original had not. */
  SERVER_ERROR("server_error"),
  /** The replay ran past proxy.transactions.replayTimeoutMs; the connection was closed. */
  TIMEOUT("timeout"),
  /** The new backend connection was lost during the replay. */
  CONNECTION_LOST("connection_lost"),
  /** A recorded statement id has no statement on the new backend. */
  STATEMENT_UNKNOWN("statement_unknown"),
  /** A COMMIT's answer was lost and the marker could not settle it (off, unreadable, unconfirmed). */
  COMMIT_UNKNOWN("commit_unknown");

  private final String label;

  ReplayOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
