package dev.tether.fleet;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.AuthPlugin;
import dev.tether.config.ClusterConfig;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.coordinator.CoordinatorVerticle;
import dev.tether.coordinator.MariaDbFlavor;
import dev.tether.proxy.ProxyNode;
import dev.tether.testkit.CounterWorkload;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole fleet in one JVM for end-to-end tests: a MariaDB primary with a GTID replica (private
 * servers), Hazelcast cluster members on loopback, proxy nodes, and clients looping
 * BEGIN / 3 × UPDATE / COMMIT plus an autocommit read, counting what was acknowledged.
 */
final class Fleet implements AutoCloseable {
  final MariaDbServer primary;
  final MariaDbServer replica;
  final ClusterConfig cluster;
  final List<Vertx> members = new ArrayList<>();
  final List<ProxyNode> nodes = new ArrayList<>();
  final List<Integer> proxyPorts = new ArrayList<>();
  private final CounterWorkload workload = new CounterWorkload();
  final AtomicLong acknowledged = workload.acknowledged;
  final ConcurrentLinkedQueue<String> errors = workload.errors;
  /** Transactions reported rolled back (1213/40001) and writes reported "outcome unknown" (1105/HY000). */
  final AtomicLong lost = workload.lost;
  final AtomicLong unknown = workload.unknown;
  final List<Connection> connections = workload.connections;

  Fleet(String name, int rows) throws Exception {
    this(name, rows, false);
  }

  /** With {@code semiSync}, a commit is acknowledged only once the replica has it. */
  Fleet(String name, int rows, boolean semiSync) throws Exception {
    int clusterPort = TestDatabase.freePort();
    cluster = new ClusterConfig(true, "tether-" + name + "-" + ProcessHandle.current().pid(), "127.0.0.1", clusterPort,
        List.of("127.0.0.1:" + clusterPort, "127.0.0.1:" + (clusterPort + 1), "127.0.0.1:" + (clusterPort + 2),
            "127.0.0.1:" + (clusterPort + 3)), null);
    // semi-sync: the master side on the primary only, the slave side on the replica
    primary = TestDatabase.startPrivate(name + "-a", 1, semiSync
        ? List.of("--rpl-semi-sync-master-enabled=ON", "--rpl-semi-sync-master-timeout=30000") : List.of());
    replica = TestDatabase.startPrivate(name + "-b", 2, semiSync
        ? List.of("--rpl-semi-sync-slave-enabled=ON", "--rpl-semi-sync-master-timeout=30000") : List.of());
    replica.replicateFrom(primary);
    CounterWorkload.createTable(primary, rows);
  }

  Vertx member() throws Exception {
    Vertx vertx = await(HazelcastSetup.clusteredVertx(cluster));
    members.add(vertx);
    return vertx;
  }

  /** A cluster member running a MariaDB coordinator: the active one if no other holds the lock, else a standby. */
  Vertx coordinator(TetherConfig config) throws Exception {
    Vertx vertx = member();
    await(vertx.deployVerticle(new CoordinatorVerticle(config,
        new MariaDbFlavor())));
    return vertx;
  }

  /** An active and a standby coordinator, one configuration, and the admin API client. */
  record Coordinators(TetherConfig config, AdminClient admin, Vertx active, Vertx standby) {}

  /** Starts a coordinator, waits until it is active, then starts a standby. */
  Coordinators activeAndStandby() throws Exception {
    TetherConfig config = config(0, "coordinator");
    AdminClient admin = new AdminClient(config.coordinator().adminPort(), config.coordinator().token());
    Vertx active = coordinator(config);
    admin.awaitActive();
    return new Coordinators(config, admin, active, coordinator(config));
  }

  /** Node configuration: this fleet's cluster and primary, the local test users, admin API on a free port. */
  TetherConfig config(int proxyPort, String nodeId) {
    return config(proxyPort, nodeId, 0);
  }

  /** The same with the node's HTTP endpoints (health, readiness, metrics) on {@code httpPort}; 0: none. */
  TetherConfig config(int proxyPort, String nodeId, int httpPort) {
    return config(proxyPort, nodeId, httpPort, Map.of());
  }

  /** The same with configuration keys overridden as dotted keys. */
  TetherConfig config(int proxyPort, String nodeId, int httpPort, Map<String, String> overrides) {
    Map<String, String> keys = new HashMap<>();
    keys.put("proxy.port", String.valueOf(proxyPort));
    keys.put("proxy.httpPort", String.valueOf(httpPort));
    keys.put("proxy.eventLoops", "1");
    keys.put("backend.port", String.valueOf(primary.port()));
    keys.put("coordinator.adminPort", String.valueOf(TestDatabase.freePort()));
    keys.put("coordinator.servers", "");
    keys.put("coordinator.replicationUser", MariaDbServer.ADMIN_USER);
    keys.put("coordinator.replicationPassword", MariaDbServer.ADMIN_PASSWORD);
    keys.putAll(overrides);
    JsonObject json = ConfigLoader.applyOverrides(new JsonObject(), keys);
    json.getJsonObject("coordinator").put("servers", new io.vertx.core.json.JsonArray()
        .add("127.0.0.1:" + primary.port()).add("127.0.0.1:" + replica.port()));
    TetherConfig base = TetherConfig.fromJson(json);
    return new TetherConfig(base.proxy(), base.backend(), base.session(),
        new ClusterConfig(true, cluster.name(), cluster.host(), cluster.port(), cluster.members(), nodeId),
        base.coordinator(), List.of(new UserAccount("app", "app", AuthPlugin.MYSQL_NATIVE_PASSWORD)));
  }

  void startNodes(int count) throws Exception {
    startNodes(count, Map.of());
  }

  /** Starts {@code count} nodes with configuration keys overridden as dotted keys. */
  void startNodes(int count, Map<String, String> overrides) throws Exception {
    for (int n = 0; n < count; n++) {
      int port = TestDatabase.freePort();
      proxyPorts.add(port);
      nodes.add(await(ProxyNode.start(member(), config(port, "node-" + n, 0, overrides))));
    }
  }

  /** Starts one more node with its HTTP endpoints on {@code httpPort}. */
  void startNodeWithHttp(int httpPort) throws Exception {
    int port = TestDatabase.freePort();
    proxyPorts.add(port);
    nodes.add(await(ProxyNode.start(member(), config(port, "node-" + nodes.size(), httpPort))));
  }

  /** A node whose own configuration names no user: it authenticates only the fleet's shared users. */
  void startNodeWithoutUsers() throws Exception {
    int port = TestDatabase.freePort();
    proxyPorts.add(port);
    TetherConfig base = config(port, "node-" + nodes.size());
    nodes.add(await(ProxyNode.start(member(), new TetherConfig(base.proxy(), base.backend(), base.session(),
        base.cluster(), base.coordinator(), List.of()))));
  }

  /** Starts clients that retry after the documented errors of a failover, counting them. */
  void startTolerantClients(int count) throws SQLException {
    workload.start(count, true, this::connectToANode);
  }

  /** Starts {@code count} clients spread over the nodes, each on its own counter row. */
  void startClients(int count) throws SQLException {
    workload.start(count, false, this::connectToANode);
  }

  private Connection connectToANode(int index) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxyPorts.get(index % proxyPorts.size())
        + "/tether?user=app&password=app&sslMode=disable");
  }

  void stopClients() throws InterruptedException {
    workload.stop();
  }

  long committedOn(MariaDbServer server) throws SQLException {
    return CounterWorkload.committedOn(server);
  }

  static Connection admin(MariaDbServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  /** Every node and cluster member stopped (the whole fleet, its shared topology gone with it); the servers keep running. */
  void stopFleet() throws Exception {
    for (ProxyNode node : nodes) {
      await(node.stop().recover(e -> Future.succeededFuture()));
    }
    nodes.clear();
    proxyPorts.clear();
    for (Vertx vertx : members) {
      await(vertx.close().recover(e -> Future.succeededFuture()));
    }
    members.clear();
  }

  @Override
  public void close() throws Exception {
    workload.close();
    for (ProxyNode node : nodes) {
      await(node.stop().recover(e -> Future.succeededFuture()));
    }
    for (Vertx vertx : members) {
      await(vertx.close().recover(e -> Future.succeededFuture()));
    }
    replica.stop();
    primary.stop();
  }
}
