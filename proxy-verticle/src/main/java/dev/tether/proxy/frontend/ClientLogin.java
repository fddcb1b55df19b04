package dev.tether.proxy.frontend;

import dev.tether.config.UserAccount;
import dev.tether.proxy.backend.LoginRequest;
import io.vertx.core.buffer.Buffer;

/**
 * What a client agreed at login: the identity a session is re-created from on any backend. The
 * challenge stays because COM_CHANGE_USER proofs are made against the original one.
 */
public record ClientLogin(UserAccount account, String database, int collation, long capabilities,
                          long maxPacketSize, Buffer connectAttributes, byte[] challenge) {

  public LoginRequest toLoginRequest() {
    return new LoginRequest(account, database, collation, capabilities, maxPacketSize, connectAttributes);
  }

  /** The same login into another default schema (the one the session has moved to). */
  public ClientLogin withDatabase(String schema) {
    return new ClientLogin(account, schema, collation, capabilities, maxPacketSize, connectAttributes, challenge);
  }

  public ClientLogin withUser(UserAccount newAccount, String newDatabase, int newCollation, Buffer attributes) {
    return new ClientLogin(newAccount, newDatabase, newCollation, capabilities, maxPacketSize,
        attributes == null ? connectAttributes : attributes, challenge);
  }
}
