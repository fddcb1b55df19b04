package dev.tether.proxy.session;

import dev.tether.cluster.Labelled;

/**
 * Why a session was not staged at BLOCK (it then moves the ordinary way at SWITCH, by replay).
 * Each value is a label of tether.proxy.sessions.not.staged{reason}.
 */
enum StageRefusal implements Labelled {
  /** session.persistent is off: there is no state to replay. */
  UNTRACKED,
  /** The node is not blocked (RESTORE came first). */
  NOT_BLOCKED,
  /** A connection to the next primary is already staged or on its way. */
  ALREADY_STAGING,
  /** A command is in flight or the session is being rebuilt. */
  BUSY,
  /** A transaction is open that is not held for replay: the session moves only once it ends. */
  IN_TRANSACTION,
  /** User variables are to be read back first: the state is not known yet. */
  READ_BACK_PENDING,
  /** Temporary tables are copied from the old primary at SWITCH, which staging cannot do. */
  TEMPORARY_TABLES,
  /** The state cannot be rebuilt at all (see {@link RebuildCheck}). */
  NOT_REBUILDABLE,
  /** The session is already on a target as new as the one named. */
  NOT_NEWER
}
