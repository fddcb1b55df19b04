package dev.tether.proxy.transaction;

/**
 * Why an open transaction cannot be replayed on a new backend, from the moment the journal saw it.
 * Each reason has a metric label (several reasons share one) and a sentence for the log, the admin
 * API and the client's error.
 */
public enum NotReplayable {
  /** More statements than {@code proxy.transactions.maxStatements}. */
  TOO_MANY_STATEMENTS("too_large", "it ran more statements than proxy.transactions.maxStatements"),
  /** More statement bytes than {@code proxy.transactions.maxBytes}. */
  TOO_MANY_BYTES("too_large", "its statements exceeded proxy.transactions.maxBytes"),
  /** A write used a value that differs on every run (NOW(), RAND(), UUID(), CONNECTION_ID(), ...). */
  NON_DETERMINISTIC("non_deterministic", "a statement used a non-deterministic function"),
  /** SKIP LOCKED, NOWAIT or WAIT n: the rows it saw depended on other sessions' locks at that instant. */
  LOCK_WAIT_OPTION("non_deterministic", "a locking read used SKIP LOCKED, NOWAIT or WAIT"),
  /** GET_LOCK and friends: named locks live outside the transaction and were released with the connection. */
  USER_LOCK("non_deterministic", "a statement took or released a named lock (GET_LOCK)"),
  /** A statement that commits implicitly (DDL, LOCK TABLES, a second BEGIN, ...): part of the work is already durable. */
  IMPLICIT_COMMIT("implicit_commit", "a statement committed implicitly"),
  /** LOAD DATA: its input (a client file, or a file on the old server) was not recorded. */
  LOAD_DATA("load_data", "it ran LOAD DATA"),
  /**
   * The statement changed session state (SET, USE, user variables, temporary tables, SQL PREPARE):
   * replay runs on the session's state as it is now, so running it again would apply it twice.
   */
  SESSION_STATE_CHANGED("session_state_changed", "a statement changed the session's state"),
  /** Effects outside the transaction or not visible in the text: INTO OUTFILE, sequences, CALL. */
  OUTSIDE_EFFECT("outside_effect", "a statement had effects outside the transaction (CALL, sequence, file)"),
  /** A statement used by the transaction was closed before its end: replay could not execute it. */
  STATEMENT_CLOSED("unsupported", "a prepared statement it executed was closed"),
  /** An execute used long data sent before the transaction began, which the journal does not hold. */
  LONG_DATA_OUTSIDE("unsupported", "an execute used long data sent before the transaction began"),
  /** A command or statement kind replay does not handle (EXECUTE, XA, COM_CHANGE_USER, ...). */
  UNSUPPORTED("unsupported", "it ran a command replay does not handle"),
  /** The transaction began where the journal could not see it (inside a multi-statement, XA START). */
  STARTED_UNSEEN("unsupported", "it began in a way the proxy did not record"),
  /** Part of a response had reached the client when the connection was lost. */
  RESPONSE_INTERRUPTED("response_interrupted", "part of a result had reached the client");

  private final String label;
  private final String description;

  NotReplayable(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** The metric label (reason=...). */
  public String label() {
    return label;
  }

  /** Why, as a clause: "the transaction cannot be replayed: " + description(). */
  public String description() {
    return description;
  }
}
