package dev.tether.proxy;

import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendIdentity;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.FrontendHandshake;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.session.RelaySession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One event loop's share of a proxy node: accepts clients on the shared MySQL port, and owns their
 * sessions and backend connections. Several instances share the port; each is single-threaded.
 */
public final class ProxyVerticle extends VerticleBase {
  private final NodeServices services;

  // confined to this verticle's event loop
  /** Every open client connection, with its session once logged in (null before). */
  private final Map<ClientConnection, RelaySession> connections = new HashMap<>();
  private BackendConnector connector;
  private NetServer server;
  private NetClient client;

  public ProxyVerticle(NodeServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    var backend = services.config().backend();
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) backend.connectTimeout().toMillis())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    connector = new BackendConnector(vertx, client, backend, services::target, services::identity,
        services.metrics().backendConnections());
    var proxy = services.config().proxy();
    NetServerOptions options = new NetServerOptions()
        .setHost(proxy.host())
        .setPort(proxy.port())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setAcceptBacklog(1024);
    server = vertx.createNetServer(options);
    server.connectHandler(this::accept);
    vertx.setPeriodic(1000, id -> tick());
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    for (ClientConnection connection : new ArrayList<>(connections.keySet())) {
      connection.close();
    }
    return server.close().compose(closed -> client.close());
  }

  private void accept(NetSocket socket) {
    if (services.metrics().clientConnections().incrementAndGet() > services.config().proxy().maxConnections()) {
      services.metrics().clientConnections().decrementAndGet();
      services.metrics().rejected("too_many_connections");
      socket.write(ErrPacket.of(ErrorCode.TOO_MANY_CONNECTIONS, "Too many connections").encode(0))
          .onComplete(written -> socket.close());
      return;
    }
    services.metrics().accepted();
    ClientConnection connection = new ClientConnection(socket, services.nextConnectionId());
    connections.put(connection, null);
    services.sessions().reserve(connection.connectionId(), context);
    connection.closeListener(() -> {
      connections.remove(connection);
      services.sessions().remove(connection.connectionId());
      services.metrics().clientConnections().decrementAndGet();
    });
    BackendIdentity identity = services.identity();
    Future<BackendIdentity> known = identity != null ? Future.succeededFuture(identity) : connector.probe();
    known.onComplete(probed -> {
      if (connection.isClosed()) {
        return;
      }
      if (probed.failed()) {
        connection.closeWithError(ErrPacket.from(probed.cause()), 0);
        return;
      }
      new FrontendHandshake(services, connection, connector, (client, login, backend, okSequence) -> {
        RelaySession session = new RelaySession(vertx, services, client, connector, login, backend);
        connections.replace(client, session);
        services.sessions().attach(client.connectionId(), session);
        session.start(okSequence);
      }).start(probed.result());
    });
  }

  /**
   * Applies {@code action} to every session of this event loop, on the loop, and counts where the
   * sessions stand afterwards. How a switchover phase reaches sessions.
   */
  public Future<SessionCounts> eachSession(Consumer<RelaySession> action) {
    Promise<SessionCounts> counted = Promise.promise();
    context.runOnContext(ignored -> {
      int quiescent = 0;
      int inTransaction = 0;
      int migrating = 0;
      long longestHold = 0;
      List<RelaySession> sessions = connections.values().stream().filter(Objects::nonNull).toList();
      for (RelaySession session : sessions) {
        action.accept(session);
        quiescent += session.quiescent() ? 1 : 0;
        inTransaction += session.inTransaction() ? 1 : 0;
        migrating += session.migrating() ? 1 : 0;
        longestHold = Math.max(longestHold, session.lastHoldMillis());
      }
      counted.complete(new SessionCounts(sessions.size(), quiescent, inTransaction, migrating, longestHold));
    });
    return counted.future();
  }

  /** Whether the current target answers with a greeting now (this node's vote in failure detection). */
  public Future<Boolean> probeBackend() {
    Promise<Boolean> reached = Promise.promise();
    context.runOnContext(ignored -> connector.probe().onComplete(done -> reached.complete(done.succeeded())));
    return reached.future();
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (ClientConnection connection : new ArrayList<>(connections.keySet())) {
      connection.tick(now);
    }
  }
}
