package dev.tether.proxy.transaction;

/**
 * What the journal asks the session, only inside a transaction: the few facts of its state that a
 * recorded statement depends on. Implemented by the session over its state and statement map.
 */
public interface SessionView {
  /** Whether backslash escapes strings (false under NO_BACKSLASH_ESCAPES): how the text is lexed. */
  boolean backslashEscapes();

  /** The one-shot SET TRANSACTION characteristics in force for the transaction about to begin, or null. */
  TransactionCharacteristics nextTransaction();

  /** LAST_INSERT_ID as the session has it now (asked when the transaction begins). */
  long lastInsertId();

  /** The SQL of the client's prepared statement {@code clientId}, or null when it is unknown. */
  String preparedSql(long clientId);

  /** Its parameter count. */
  int paramCount(long clientId);

  /** The parameter types last sent for it (2 bytes per parameter), or null. */
  byte[] lastParameterTypes(long clientId);
}
