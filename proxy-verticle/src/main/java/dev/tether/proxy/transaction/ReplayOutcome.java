package dev.tether.proxy.transaction;

import dev.tether.cluster.Labelled;

/** How a transaction replay ended; every value but REPLAYED means "rolled back, retry" for the client. */
public enum ReplayOutcome implements Labelled {
  /** Every statement ran again and returned exactly what the client had seen: carry on. */
  REPLAYED,
  /** The journal had refused the transaction before the loss; {@link ReplayResult#refusal()} says why. */
  NOT_REPLAYABLE,
  /** A statement returned something else than the client saw (another session changed the data). */
  MISMATCH,
  /** Starting the transaction failed, or a statement failed where the original had not. */
  SERVER_ERROR,
  /** The replay ran past proxy.transactions.replayTimeoutMs; the connection was closed. */
  TIMEOUT,
  /** The new backend connection was lost during the replay. */
  CONNECTION_LOST,
  /** A recorded statement id has no statement on the new backend. */
  STATEMENT_UNKNOWN,
  /** A COMMIT's answer was lost and the marker could not settle it (off, unreadable, unconfirmed). */
  COMMIT_UNKNOWN
}
