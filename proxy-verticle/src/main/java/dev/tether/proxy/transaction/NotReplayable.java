package dev.tether.proxy.transaction;

import dev.tether.cluster.Labelled;

/**
 * Why an open transaction cannot be replayed on a new backend, from the moment the journal saw it.
 * Each reason has a {@link Kind}, its metric label (several reasons share one), and a sentence for
 * the log, the admin API and the client's error.
 */
public enum NotReplayable {
  /** More statements than {@code proxy.transactions.maxStatements}. */
  TOO_MANY_STATEMENTS("it ran more statements than proxy.transactions.maxStatements"),
  /** More statement bytes than {@code proxy.transactions.maxBytes}. */
  TOO_MANY_BYTES("its statements exceeded proxy.transactions.maxBytes"),
  /** A write used a value that differs on every run (NOW(), RAND(), UUID(), CONNECTION_ID(), ...). */
  NON_DETERMINISTIC("a statement used a non-deterministic function"),
  /** SKIP LOCKED, NOWAIT or WAIT n: the rows it saw depended on other sessions' locks at that instant. */
  LOCK_WAIT_OPTION("a locking read used SKIP LOCKED, NOWAIT or WAIT"),
  /** GET_LOCK and friends: named locks live outside the transaction and were released with the connection. */
  USER_LOCK("a statement took or released a named lock (GET_LOCK)"),
  /** A statement that commits implicitly (DDL, LOCK TABLES, a second BEGIN, ...): part of the work is already durable. */
  IMPLICIT_COMMIT("a statement committed implicitly"),
  /** LOAD DATA: its input (a client file, or a file on the old server) was not recorded. */
  LOAD_DATA("it ran LOAD DATA"),
  /**
   * The statement changed session state (SET, USE, user variables, temporary tables, SQL PREPARE):
   * replay runs on the session's state as it is now, so running it again would apply it twice.
   */
  SESSION_STATE_CHANGED("a statement changed the session's state"),
  /** Effects outside the transaction or not visible in the text: INTO OUTFILE, sequences, CALL. */
  OUTSIDE_EFFECT("a statement had effects outside the transaction (CALL, sequence, file)"),
  /** A statement used by the transaction was closed before its end: replay could not execute it. */
  STATEMENT_CLOSED("a prepared statement it executed was closed"),
  /** An execute used long data sent before the transaction began, which the journal does not hold. */
  LONG_DATA_OUTSIDE("an execute used long data sent before the transaction began"),
  /** A command or statement kind replay does not handle (EXECUTE, XA, COM_CHANGE_USER, ...). */
  UNSUPPORTED("it ran a command replay does not handle"),
  /** The transaction began where the journal could not see it (inside a multi-statement, XA START). */
  STARTED_UNSEEN("it began in a way the proxy did not record"),
  /** Part of a response had reached the client when the connection was lost. */
  RESPONSE_INTERRUPTED("part of a result had reached the client");

  private final String description;

  NotReplayable(String description) {
    this.description = description;
  }

  /** The metric label (reason=...), shared by the reasons of one kind. */
  public String label() {
    return kind().label();
  }

  /** The kind of refusal: what dashboards count, several reasons to a kind. */
  public Kind kind() {
    return switch (this) {
      case TOO_MANY_STATEMENTS, TOO_MANY_BYTES -> Kind.TOO_LARGE;
      case NON_DETERMINISTIC, LOCK_WAIT_OPTION, USER_LOCK -> Kind.NON_DETERMINISTIC;
      case IMPLICIT_COMMIT -> Kind.IMPLICIT_COMMIT;
      case LOAD_DATA -> Kind.LOAD_DATA;
      case SESSION_STATE_CHANGED -> Kind.SESSION_STATE_CHANGED;
      case OUTSIDE_EFFECT -> Kind.OUTSIDE_EFFECT;
      case STATEMENT_CLOSED, LONG_DATA_OUTSIDE, UNSUPPORTED, STARTED_UNSEEN -> Kind.UNSUPPORTED;
      case RESPONSE_INTERRUPTED -> Kind.RESPONSE_INTERRUPTED;
    };
  }

  /** Why, as a clause: "the transaction cannot be replayed: " + description(). */
  public String description() {
    return description;
  }

  /** The kinds of refusal, each a metric label. */
  public enum Kind implements Labelled {
    TOO_LARGE, NON_DETERMINISTIC, IMPLICIT_COMMIT, LOAD_DATA, SESSION_STATE_CHANGED, OUTSIDE_EFFECT, UNSUPPORTED,
    RESPONSE_INTERRUPTED
  }
}
