package dev.tether.proxy.transaction;

/**
 * Where a client's prepared statement lives on the backend connection replay runs on: the session
 * re-prepared its statements there (new ids), and gives its map from client id to backend id.
 */
@FunctionalInterface
public interface StatementTranslator {
  /** The backend id of client statement {@code clientId}, or -1 when that connection does not have it. */
  long backendId(long clientId);

  /** For sessions whose backend ids equal the client's (tests, or a connection where nothing moved). */
  StatementTranslator IDENTITY = clientId -> clientId;
}
