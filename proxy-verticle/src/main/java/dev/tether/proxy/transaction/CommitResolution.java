package dev.tether.proxy.transaction;

/** What the commit marker says about a COMMIT whose answer was lost. */
public enum CommitResolution {
  /** The marker is on the new primary: the transaction committed; answer the client OK. */
  COMMITTED,
  /** The marker was written before the COMMIT and is provably absent: not committed; replay it. */
  NOT_COMMITTED,
  /** The marker could not be read, or was never confirmed written: the documented "outcome unknown" error. */
  UNKNOWN
}
