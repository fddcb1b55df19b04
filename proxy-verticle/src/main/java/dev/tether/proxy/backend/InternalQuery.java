package dev.tether.proxy.backend;

import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import java.util.List;

/** One query the proxy runs for itself on a connection of its own, outside any session (e.g. reading the grant tables). */
public final class InternalQuery {
  private static final long MAX_RESPONSE_BYTES = 64L << 20;

  private InternalQuery() {}

  public static Future<TextResult> run(BackendConnection backend, String sql) {
    boolean deprecateEof = (backend.capabilities() & Capabilities.CLIENT_DEPRECATE_EOF) != 0;
    return InternalExchange.run(backend, deprecateEof, List.of(InternalExchange.Request.query(sql)), MAX_RESPONSE_BYTES)
        .map(results -> results.get(0));
  }
}
