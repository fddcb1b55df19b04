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
import java.util.concurrent.atomic.AtomicBoolean;
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
  final AtomicBoolean stop = new AtomicBoolean();
  final AtomicLong acknowledged = new AtomicLong();
  final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  /** Transactions reported rolled back (1213/40001) and writes reported "outcome unknown" (1105/HY000). */
  final AtomicLong lost = new AtomicLong();
  final AtomicLong unknown = new AtomicLong();
  /** Clients carry on after the documented errors instead of stopping (failover tests). */
  private boolean tolerant;
  final List<Connection> connections = new ArrayList<>();
  private final List<Thread> clients = new ArrayList<>();

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
    try (Connection admin = admin(primary); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
      for (int i = 0; i < rows; i++) {
        s.execute("INSERT INTO counters VALUES (" + i + ", 0)");
      }
    }
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
    Map<String, String> keys = new HashMap<>();
    keys.put("proxy.port", String.valueOf(proxyPort));
    keys.put("proxy.httpPort", "0");
    keys.put("proxy.eventLoops", "1");
    keys.put("backend.port", String.valueOf(primary.port()));
    keys.put("coordinator.adminPort", String.valueOf(TestDatabase.freePort()));
    keys.put("coordinator.servers", "");
    keys.put("coordinator.replicationUser", MariaDbServer.ADMIN_USER);
    keys.put("coordinator.replicationPassword", MariaDbServer.ADMIN_PASSWORD);
    JsonObject json = ConfigLoader.applyOverrides(new JsonObject(), keys);
    json.getJsonObject("coordinator").put("servers", new io.vertx.core.json.JsonArray()
        .add("127.0.0.1:" + primary.port()).add("127.0.0.1:" + replica.port()));
    TetherConfig base = TetherConfig.fromJson(json);
    return new TetherConfig(base.proxy(), base.backend(), base.session(),
        new ClusterConfig(true, cluster.name(), cluster.host(), cluster.port(), cluster.members(), nodeId),
        base.coordinator(), List.of(new UserAccount("app", "app", AuthPlugin.MYSQL_NATIVE_PASSWORD)));
  }

  void startNodes(int count) throws Exception {
    for (int n = 0; n < count; n++) {
      int port = TestDatabase.freePort();
      proxyPorts.add(port);
      nodes.add(await(ProxyNode.start(member(), config(port, "node-" + n))));
    }
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
    tolerant = true;
    startClients(count);
  }

  /** Starts {@code count} clients spread over the nodes, each on its own counter row. */
  void startClients(int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxyPorts.get(i % proxyPorts.size())
          + "/tether?user=app&password=app&sslMode=disable");
      connections.add(c);
      int id = i;
      Thread t = new Thread(() -> loop(c, id));
      clients.add(t);
      t.start();
    }
  }

  void stopClients() throws InterruptedException {
    stop.set(true);
    for (Thread t : clients) {
      t.join(30_000);
    }
  }

  long committedOn(MariaDbServer server) throws SQLException {
    try (Connection admin = admin(server); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT SUM(n) FROM counters")) {
      rs.next();
      return rs.getLong(1);
    }
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

  private void loop(Connection c, int id) {
    try (Statement s = c.createStatement()) {
      while (!stop.get()) {
        try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = " + id)) {
          rs.next();
        }
        String step = "BEGIN";
        try {
          s.execute("BEGIN");
          step = "UPDATE";
          for (int k = 0; k < 3; k++) {
            s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
          }
          step = "COMMIT";
          s.execute("COMMIT");
          acknowledged.incrementAndGet();
        } catch (SQLException e) {
          if (!tolerant) {
            throw e;
          }
          if (e.getErrorCode() == 1213 && "40001".equals(e.getSQLState())) {
            lost.incrementAndGet(); // documented: rolled back, retry
          } else if (e.getErrorCode() == 1105 && "HY000".equals(e.getSQLState())) {
            if ("COMMIT".equals(step)) {
              unknown.incrementAndGet(); // documented: outcome unknown
            }
            rollbackQuietly(s);
          } else {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      errors.add(e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
    }
  }

  private static void rollbackQuietly(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // the next round shows whether the connection works
    }
  }

  @Override
  public void close() throws Exception {
    stop.set(true);
    for (Connection c : connections) {
      c.close();
    }
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
