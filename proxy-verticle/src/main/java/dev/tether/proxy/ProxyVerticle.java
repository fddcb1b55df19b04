package dev.tether.proxy;

import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendIdentity;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.FrontendHandshake;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.node.Rejection;
import dev.tether.proxy.node.SessionCounts;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.session.NodeSessions;
import dev.tether.proxy.session.RelaySession;
import dev.tether.proxy.switchover.SessionGroup;
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
public final class ProxyVerticle extends VerticleBase implements SessionGroup {
  /** What a client of a draining node sees: the error a server shutting down gives, so drivers reconnect. */
  private static final ErrPacket DRAINING = ErrPacket.of(ErrorCode.SERVER_SHUTDOWN,
      "Tether node draining: connect again through the load balancer");

  private final NodeServices services;
  private final NodeSessions sessions;

  // confined to this verticle's event loop
  /** Every open client connection, with its session once logged in (null before). */
  private final Map<ClientConnection, RelaySession> connections = new HashMap<>();
  private BackendConnector connector;
  /** This event loop's sessions by state, counted each tick for the sessions gauge. */
  private java.util.concurrent.atomic.AtomicIntegerArray sessionStates;
  private NetServer server;
  private NetClient client;

  public ProxyVerticle(NodeServices services, NodeSessions sessions) {
    this.services = services;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    var backend = services.config().backend();
    // TCP_QUICKACK on: Vert.x otherwise sets it to 0 on native epoll before connect(), the kernel then
    // delays the handshake's last ACK (~200 ms), and a MySQL server speaks only once it has seen it.
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) backend.connectTimeout().toMillis())
        .setTcpNoDelay(true)
        .setTcpQuickAck(true)
        .setTcpKeepAlive(true));
    connector = new BackendConnector(vertx, client, backend, services::target, services::identity,
        services.metrics().backendConnections()).traffic(services.metrics().backendTraffic());
    sessionStates = services.metrics().sessionStates();
    var proxy = services.config().proxy();
    NetServerOptions options = new NetServerOptions()
        .setHost(proxy.host())
        .setPort(proxy.port())
        .setTcpNoDelay(true)
        .setTcpQuickAck(true) // no delayed ACKs towards clients either (Vert.x sets 0 on accepted sockets)
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
    if (services.drain().draining()) {
      services.metrics().rejected(Rejection.DRAINING);
      socket.write(DRAINING.encode(0)).onComplete(written -> socket.close());
      return;
    }
    if (services.metrics().clientConnections().incrementAndGet() > services.config().proxy().maxConnections()) {
      services.metrics().clientConnections().decrementAndGet();
      services.metrics().rejected(Rejection.TOO_MANY_CONNECTIONS);
      socket.write(ErrPacket.of(ErrorCode.TOO_MANY_CONNECTIONS, "Too many connections").encode(0))
          .onComplete(written -> socket.close());
      return;
    }
    services.metrics().accepted();
    ClientConnection connection = new ClientConnection(socket, sessions.nextConnectionId());
    connection.traffic(services.metrics().clientTraffic());
    connection.inputLimits(services.partialFrames(), services.config().proxy().readTimeout().toMillis(),
        services.metrics()::rejected);
    connections.put(connection, null);
    sessions.registry().reserve(connection.connectionId(), context);
    connection.closeListener(() -> {
      connections.remove(connection);
      sessions.registry().remove(connection.connectionId());
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
        RelaySession session = new RelaySession(vertx, services, sessions, client, connector, login, backend);
        connections.replace(client, session);
        sessions.registry().attach(client.connectionId(), session);
        session.start(okSequence);
      }).start(probed.result());
    });
  }

  /**
   * Applies {@code action} to every session of this event loop, on the loop, and counts where the
   * sessions stand afterwards. How a switchover phase reaches sessions.
   */
  @Override
  public Future<SessionCounts> eachSession(Consumer<RelaySession> action) {
    Promise<SessionCounts> counted = Promise.promise();
    context.runOnContext(ignored -> {
      int quiescent = 0;
      int inTransaction = 0;
      int migrating = 0;
      long longestHold = 0;
      int replayable = 0;
      int carriable = 0;
      java.util.Map<String, Integer> notReplayable = new java.util.TreeMap<>();
      List<RelaySession> sessions = connections.values().stream().filter(Objects::nonNull).toList();
      for (RelaySession session : sessions) {
        action.accept(session);
        quiescent += session.quiescent() ? 1 : 0;
        inTransaction += session.inTransaction() ? 1 : 0;
        migrating += session.migrating() ? 1 : 0;
        longestHold = Math.max(longestHold, session.switchover().lastHoldMillis());
        if (session.inTransaction()) {
          String refusal = session.notReplayableBecause();
          if (refusal == null) {
            replayable++;
            carriable += session.betweenCommands() ? 1 : 0;
          } else {
            notReplayable.merge(refusal, 1, Integer::sum);
          }
        }
      }
      counted.complete(new SessionCounts(sessions.size(), quiescent, inTransaction, migrating, longestHold,
          replayable, carriable, notReplayable));
    });
    return counted.future();
  }

  /** Whether the current target answers with a greeting now (this node's vote in failure detection). */
  @Override
  public Future<Boolean> probeBackend() {
    Promise<Boolean> reached = Promise.promise();
    context.runOnContext(ignored -> connector.probe().onComplete(done -> reached.complete(done.succeeded())));
    return reached.future();
  }

  private void tick() {
    long now = System.currentTimeMillis();
    if (services.identity() == null) { // readiness: the backend is seen by a probe, before any client logs in
      connector.probe().onSuccess(services::identity);
    }
    boolean closeAll = services.drain().expired(now);
    for (ClientConnection connection : new ArrayList<>(connections.keySet())) {
      if (closeAll) {
        services.metrics().rejected(Rejection.DRAINED);
        connection.closeWithError(DRAINING, 0);
      } else {
        connection.tick(now);
      }
    }
    SessionStates.count(connections.values(), sessionStates);
  }
}
