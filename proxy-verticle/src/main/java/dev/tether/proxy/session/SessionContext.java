package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.node.ProxyMetrics;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * What a session's parts share and never change: its loop, the node's services, the client
 * connection, how to reach backends and other sessions (for a KILL), what the client negotiated, and the one clock the session
 * reads. Immutable after construction.
 */
record SessionContext(Vertx vertx, NodeServices services, NodeSessions sessions, ClientConnection client,
                      BackendConnector connector, boolean clientTracksState, boolean deprecateEof, Clock clock) {

  /** The session's id: the connection id of the client's greeting. */
  long id() {
    return client.connectionId();
  }

  ProxyMetrics metrics() {
    return services.metrics();
  }

  KillRouter kills() {
    return sessions.kills();
  }

  /** The session went idle, ended or finished moving: a switchover waiting for sessions looks again. */
  void changed() {
    sessions.changed();
  }

  long now() {
    return clock.millis();
  }
}
