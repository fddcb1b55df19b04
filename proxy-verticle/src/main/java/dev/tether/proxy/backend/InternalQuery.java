package dev.tether.proxy.backend;

import dev.tether.config.UserAccount;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.util.List;

/** One query the proxy runs for itself on a connection of its own, outside any session (e.g. reading the grant tables). */
public final class InternalQuery {
  private static final long MAX_RESPONSE_BYTES = 64L << 20;
  /** The classic protocol with transactions and multi-results: no deprecated EOF, no session tracking. */
  private static final long CAPABILITIES = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
      | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_MULTI_RESULTS
      | Capabilities.CLIENT_LONG_FLAG;
  /** utf8mb4_general_ci. */
  private static final int COLLATION = 45;
  private static final long MAX_PACKET_SIZE = 1 << 24;

  private InternalQuery() {}

  /** A connection of the proxy's own, logged in as {@code account} with no default schema, for {@link #run}. */
  public static Future<BackendConnection> connect(BackendConnector connector, UserAccount account) {
    return connector.connect(new LoginRequest(account, null, COLLATION, CAPABILITIES, MAX_PACKET_SIZE, null));
  }

  public static Future<TextResult> run(BackendConnection backend, String sql) {
    boolean deprecateEof = (backend.capabilities() & Capabilities.CLIENT_DEPRECATE_EOF) != 0;
    return InternalExchange.run(backend, deprecateEof, List.of(InternalExchange.Request.query(sql)), MAX_RESPONSE_BYTES)
        .map(results -> results.get(0));
  }
}
