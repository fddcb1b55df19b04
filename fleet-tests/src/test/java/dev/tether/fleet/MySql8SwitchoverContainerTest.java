package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.AuthPlugin;
import dev.tether.config.ClusterConfig;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.coordinator.CoordinatorVerticle;
import dev.tether.coordinator.MySql8Flavor;
import dev.tether.proxy.ProxyNode;
import dev.tether.testkit.DockerEngine;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A planned switchover between two MySQL 8 servers (Testcontainers) through a coordinator running the
 * MySQL 8 flavor, with a proxy node in front: a client writing in a loop sees no error and every
 * acknowledged row is on the new primary; a session with a user variable, a system variable, a
 * prepared statement and a temporary table (a JSON column and an expression default among its
 * columns) keeps them all; the old primary follows the new one. The coordinator reaches the servers
 * at the addresses they replicate from each other by, so the containers share the host's network:
 * needs a Docker engine on Linux; skipped otherwise.
 */
class MySql8SwitchoverContainerTest {
  private static final String ROOT_PASSWORD = "tether-test-root"; // test credential of throwaway containers

  @Test
  void aPlannedSwitchoverBetweenTwoMySql8ServersMovesTheSessionsWithTheirState() throws Exception {
    DockerEngine.assumeAvailable("the MySQL 8 switchover test");
    assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
        "the MySQL 8 switchover test needs host networking, which only a Linux Docker engine offers");
    int port1 = TestDatabase.freePort();
    int port2 = TestDatabase.freePort();
    List<Vertx> members = new ArrayList<>();
    List<ProxyNode> nodes = new ArrayList<>();
    try (GenericContainer<?> db1 = server(port1, 1); GenericContainer<?> db2 = server(port2, 2)) {
      db1.start();
      db2.start();
      try (Connection root1 = root(port1); Connection root2 = root(port2)) {
        run(root1, "RESET MASTER"); // the entrypoint's own transactions: neither server starts with a history
        run(root2, "RESET MASTER");
        for (String sql : new MySql8Flavor().replicateFrom("127.0.0.1", port1, "root", ROOT_PASSWORD, false)) {
          run(root2, sql);
        }
        run(root1, "CREATE DATABASE tether");
        run(root1, "CREATE USER 'app'@'%' IDENTIFIED BY 'app'");
        run(root1, "GRANT ALL ON tether.* TO 'app'@'%'");
        run(root1, "GRANT SELECT ON performance_schema.user_variables_by_thread TO 'app'@'%'");
        run(root1, "CREATE TABLE tether.acked (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)");
        assertEquals("0", scalar(root2, "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + scalar(root1,
            "SELECT @@GLOBAL.gtid_executed") + "', 60)"), "the replica has the schema and the users");
      }

      TetherConfig config = config(port1, port2);
      Vertx coordinator = await(HazelcastSetup.clusteredVertx(config.cluster()));
      members.add(coordinator);
      await(coordinator.deployVerticle(new CoordinatorVerticle(config, new MySql8Flavor())));
      AdminClient admin = new AdminClient(config.coordinator().adminPort(), config.coordinator().token());
      admin.awaitActive();
      int proxyPort = TestDatabase.freePort();
      Vertx nodeMember = await(HazelcastSetup.clusteredVertx(config.cluster()));
      members.add(nodeMember);
      nodes.add(await(ProxyNode.start(nodeMember, withNode(config, proxyPort, "node-0"))));
      JsonObject topology = awaitBothServers(admin);
      assertEquals("127.0.0.1:" + port1, topology.getString("primary"), topology.encode());

      String url = "jdbc:mysql://127.0.0.1:" + proxyPort + "/tether?user=app&password=app&sslMode=DISABLED"
          + "&allowPublicKeyRetrieval=true";
      try (Connection stateful = DriverManager.getConnection(url + "&useServerPrepStmts=true&cachePrepStmts=false");
           Statement s = stateful.createStatement()) {
        s.execute("SET @carried = 'über', @n = 42, SESSION sql_mode = 'ANSI_QUOTES'");
        s.execute("CREATE TEMPORARY TABLE scratch (k INT PRIMARY KEY, v VARCHAR(20), doc JSON,"
            + " at TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB");
        s.execute("INSERT INTO scratch VALUES (1, 'één', '{\"a\": [1, \"ü\"]}', '2001-02-03 04:05:06.789'),"
            + " (2, NULL, NULL, NULL)");
        PreparedStatement lookup = stateful.prepareStatement("SELECT CONCAT_WS('|', v, doc->>'$.a[1]', at, @carried,"
            + " @n + 1, @@sql_mode, @@server_id) FROM scratch WHERE k = ?");
        String expected = "één|ü|2001-02-03 04:05:06.789|über|43|ANSI_QUOTES|";
        lookup.setInt(1, 1);
        assertEquals(expected + "1", single(lookup));

        Writer writer = new Writer(url);
        writer.start();
        Thread.sleep(1000);
        JsonObject report = admin.post("/switchover", new JsonObject());
        Thread.sleep(1000);
        writer.stop();
        assertTrue(writer.errors.isEmpty(), "client errors: " + writer.errors);
        assertTrue(writer.acknowledged.get() > 0, "the writer wrote");
        assertEquals(1, report.getLong("epoch"), report.encode());
        assertEquals("127.0.0.1:" + port2, admin.get("/topology").getString("primary"));

        assertEquals(expected + "2", single(lookup), "user variables, sql_mode, the temporary table's rows and"
            + " the prepared statement, on the new primary");
        lookup.close();
        try (Connection root2 = root(port2)) {
          assertEquals(String.valueOf(writer.acknowledged.get()), scalar(root2, "SELECT COUNT(*) FROM tether.acked"),
              "exactly the acknowledged rows on the new primary");
          assertEquals("0", scalar(root2, "SELECT @@GLOBAL.read_only"), "the new primary takes writes");
        }
        try (Connection root1 = root(port1)) {
          assertEquals("1", scalar(root1, "SELECT @@GLOBAL.super_read_only"), "the old primary is fenced");
          assertTrue(awaitReplicating(root1), "the old primary replicates from the new one");
        }
      }
    } finally {
      for (ProxyNode node : nodes) {
        await(node.stop().recover(e -> Future.succeededFuture()));
      }
      for (Vertx vertx : members) {
        await(vertx.close().recover(e -> Future.succeededFuture()));
      }
    }
  }

  /** MySQL 8 on the host's network at {@code port} (the X protocol off, so two fit side by side), GTIDs on. */
  private static GenericContainer<?> server(int port, int serverId) {
    return new GenericContainer<>("mysql:8.0").withNetworkMode("host").withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD)
        .withCommand("--port=" + port, "--bind-address=127.0.0.1", "--mysqlx=OFF", "--server-id=" + serverId,
            "--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-bin=binlog", "--log-replica-updates=ON")
        .waitingFor(Wait.forLogMessage(".*ready for connections.*port: " + port + " .*", 1)
            .withStartupTimeout(Duration.ofMinutes(3)));
  }

  /** The coordinator's configuration: both servers, root for control and replication, this test's cluster. */
  private static TetherConfig config(int port1, int port2) {
    int clusterPort = TestDatabase.freePort();
    Map<String, String> keys = new HashMap<>();
    keys.put("proxy.eventLoops", "1");
    keys.put("proxy.httpPort", "0");
    keys.put("backend.port", String.valueOf(port1));
    keys.put("coordinator.adminPort", String.valueOf(TestDatabase.freePort()));
    keys.put("coordinator.adminUser", "root");
    keys.put("coordinator.adminPassword", ROOT_PASSWORD);
    keys.put("coordinator.replicationUser", "root");
    keys.put("coordinator.replicationPassword", ROOT_PASSWORD);
    JsonObject json = ConfigLoader.applyOverrides(new JsonObject(), keys);
    json.getJsonObject("coordinator").put("servers", new JsonArray().add("127.0.0.1:" + port1).add("127.0.0.1:" + port2));
    TetherConfig base = TetherConfig.fromJson(json);
    ClusterConfig cluster = new ClusterConfig(true, "tether-mysql8-" + ProcessHandle.current().pid(), "127.0.0.1",
        clusterPort, List.of("127.0.0.1:" + clusterPort, "127.0.0.1:" + (clusterPort + 1),
            "127.0.0.1:" + (clusterPort + 2)), "coordinator");
    return new TetherConfig(base.proxy(), base.backend(), base.session(), cluster, base.coordinator(),
        List.of(new UserAccount("app", "app", AuthPlugin.MYSQL_NATIVE_PASSWORD)));
  }

  /** The same configuration for a node listening on {@code proxyPort}. */
  private static TetherConfig withNode(TetherConfig config, int proxyPort, String nodeId) {
    JsonObject json = ConfigLoader.applyOverrides(new JsonObject(), Map.of("proxy.port", String.valueOf(proxyPort),
        "proxy.httpPort", "0", "proxy.eventLoops", "1"));
    ClusterConfig c = config.cluster();
    return new TetherConfig(TetherConfig.fromJson(json).proxy(), config.backend(), config.session(),
        new ClusterConfig(true, c.name(), c.host(), c.port(), c.members(), nodeId), config.coordinator(), config.users());
  }

  private static JsonObject awaitBothServers(AdminClient admin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject topology = admin.get("/topology");
    while ((topology.getJsonArray("servers").size() < 2 || topology.getString("primary") == null)
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
      topology = admin.get("/topology");
    }
    return topology;
  }

  private static boolean awaitReplicating(Connection root) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
        if (rs.next() && "Yes".equals(rs.getString("Replica_IO_Running"))
            && "Yes".equals(rs.getString("Replica_SQL_Running"))) {
          return true;
        }
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** One client inserting in autocommit through the node, counting the rows the server acknowledged. */
  private static final class Writer {
    final AtomicLong acknowledged = new AtomicLong();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Writer(String url) {
      thread = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement insert = c.prepareStatement("INSERT INTO acked (v) VALUES (?)")) {
          for (int i = 0; running.get(); i++) {
            insert.setInt(1, i);
            insert.executeUpdate();
            acknowledged.incrementAndGet();
          }
        } catch (SQLException e) {
          errors.add(e.getErrorCode() + ": " + e.getMessage());
        }
      }, "mysql8-writer");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private static Connection root(int port) throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?user=root&password=" + ROOT_PASSWORD
        + "&sslMode=DISABLED&allowPublicKeyRetrieval=true");
  }

  private static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row from " + sql);
      return rs.getString(1);
    }
  }

  private static String single(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }
}
