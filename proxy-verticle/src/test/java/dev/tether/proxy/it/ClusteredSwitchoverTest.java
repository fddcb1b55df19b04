package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.HazelcastSetup;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.config.ClusterConfig;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.config.AuthPlugin;
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
import org.junit.jupiter.api.Test;

/**
 * Two proxy nodes and a stand-in coordinator, each a member of a Hazelcast cluster on loopback. The
 * coordinator finds the nodes in the shared map and drives BLOCK → promote → SWITCH → RESTORE over
 * the clustered event bus while clients loop transactions through both nodes: zero client errors,
 * every connection on the new primary, the new primary holding exactly the acknowledged commits,
 * and a repeated (stale) epoch ignored by every node.
 */
class ClusteredSwitchoverTest {
  private static final int CLIENTS_PER_NODE = 8;

  @Test
  void twoClusteredNodesSwitchPrimaryTogetherOverTheEventBus() throws Exception {
    int clusterPort = TestDatabase.freePort();
    ClusterConfig cluster = new ClusterConfig(true, "tether-test-" + ProcessHandle.current().pid(), "127.0.0.1",
        clusterPort, List.of("127.0.0.1:" + clusterPort, "127.0.0.1:" + (clusterPort + 1), "127.0.0.1:" + (clusterPort + 2)),
        null);
    MariaDbServer primary = TestDatabase.startPrivate("fleet-a", 1);
    MariaDbServer replica = TestDatabase.startPrivate("fleet-b", 2);
    List<Vertx> members = new ArrayList<>();
    List<ProxyNode> nodes = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      replica.replicateFrom(primary);
      try (Connection admin = admin(primary); Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
        for (int i = 0; i < 2 * CLIENTS_PER_NODE; i++) {
          s.execute("INSERT INTO counters VALUES (" + i + ", 0)");
        }
      }
      long joinStarted = System.nanoTime();
      for (int n = 0; n < 2; n++) {
        Vertx vertx = await(HazelcastSetup.clusteredVertx(cluster));
        members.add(vertx);
        int port = TestDatabase.freePort();
        ports.add(port);
        nodes.add(await(ProxyNode.start(vertx, nodeConfig(port, primary.port(), cluster, "node-" + n))));
      }
      Vertx coordinator = await(HazelcastSetup.clusteredVertx(cluster));
      members.add(coordinator);
      long joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinStarted);
      List<String> nodeIds = await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP)
          .compose(map -> map.keys())).stream().sorted().toList();
      assertEquals(List.of("node-0", "node-1"), nodeIds, "nodes registered in the shared map");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acknowledged = new AtomicLong();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      List<Connection> connections = new ArrayList<>();
      for (int i = 0; i < 2 * CLIENTS_PER_NODE; i++) {
        Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + ports.get(i % 2)
            + "/tether?user=app&password=app&sslMode=disable");
        connections.add(c);
        int id = i;
        clients.add(new Thread(() -> loop(c, id, stop, acknowledged, errors)));
      }
      clients.forEach(Thread::start);
      Thread.sleep(1000);

      long started = System.nanoTime();
      List<PhaseAck> blocked = phase(coordinator, nodeIds, PhaseCommand.block(1, 2000));
      promote(primary, replica);
      List<PhaseAck> switched = phase(coordinator, nodeIds, PhaseCommand.switchTo(1, "127.0.0.1", replica.port()));
      List<PhaseAck> restored = phase(coordinator, nodeIds, PhaseCommand.restore(1));
      long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      List<PhaseAck> stale = phase(coordinator, nodeIds, PhaseCommand.switchTo(1, "127.0.0.1", primary.port()));

      Thread.sleep(1000);
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
      assertTrue(errors.isEmpty(), "client errors: " + errors);
      blocked.forEach(ack -> assertEquals(ack.sessions(), ack.quiescent(), "quiescent within the window: " + ack));
      switched.forEach(ack -> assertTrue(ack.applied() && ack.migrating() == 0, "migrated: " + ack));
      restored.forEach(ack -> assertTrue(ack.applied()));
      stale.forEach(ack -> assertFalse(ack.applied(), "stale epoch ignored: " + ack));
      for (Connection c : connections) {
        assertEquals("2", ThroughProxy.scalar(c, "SELECT @@server_id"));
        c.close();
      }
      try (Connection admin = admin(replica); Statement s = admin.createStatement();
           ResultSet rs = s.executeQuery("SELECT SUM(n) FROM counters")) {
        rs.next();
        assertEquals(acknowledged.get() * 3, rs.getLong(1), "exactly the acknowledged commits");
      }
      System.out.printf("clustered switchover: 2 nodes joined in %d ms; %d commits acknowledged; pause %d ms;"
          + " acks %s%n", joinMillis, acknowledged.get(), pauseMillis, switched);
    } finally {
      for (ProxyNode node : nodes) {
        await(node.stop());
      }
      for (Vertx vertx : members) {
        await(vertx.close());
      }
      replica.stop();
      primary.stop();
    }
  }

  private static List<PhaseAck> phase(Vertx coordinator, List<String> nodeIds, PhaseCommand command) throws Exception {
    List<PhaseAck> acks = new ArrayList<>();
    List<Future<PhaseAck>> pending = new ArrayList<>();
    for (String nodeId : nodeIds) {
      pending.add(coordinator.eventBus().<JsonObject>request(Addresses.proxyControl(nodeId), command.toJson())
          .map(reply -> PhaseAck.fromJson(reply.body())));
    }
    for (Future<PhaseAck> ack : pending) {
      acks.add(await(ack));
    }
    return acks;
  }

  private static TetherConfig nodeConfig(int port, int backendPort, ClusterConfig cluster, String nodeId) {
    Map<String, String> keys = new HashMap<>();
    keys.put("proxy.port", String.valueOf(port));
    keys.put("proxy.httpPort", "0");
    keys.put("proxy.eventLoops", "1");
    keys.put("backend.port", String.valueOf(backendPort));
    TetherConfig base = TetherConfig.fromJson(ConfigLoader.applyOverrides(new JsonObject(), keys));
    return new TetherConfig(base.proxy(), base.backend(), base.session(),
        new ClusterConfig(true, cluster.name(), cluster.host(), cluster.port(), cluster.members(), nodeId),
        base.coordinator(), List.of(new UserAccount("app", "app", AuthPlugin.MYSQL_NATIVE_PASSWORD)));
  }

  private static void promote(MariaDbServer oldPrimary, MariaDbServer newPrimary) throws SQLException {
    String position;
    try (Connection c = admin(oldPrimary); Statement s = c.createStatement()) {
      s.execute("SET GLOBAL read_only = ON");
      try (ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
        rs.next();
        position = rs.getString(1);
      }
    }
    try (Connection c = admin(newPrimary); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT MASTER_GTID_WAIT('" + position + "', 10)")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
      s.execute("STOP SLAVE");
      s.execute("RESET SLAVE ALL");
      s.execute("SET GLOBAL read_only = OFF");
    }
  }

  private static Connection admin(MariaDbServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void loop(Connection c, int id, AtomicBoolean stop, AtomicLong acknowledged,
                           ConcurrentLinkedQueue<String> errors) {
    try (Statement s = c.createStatement()) {
      while (!stop.get()) {
        try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = " + id)) {
          rs.next();
        }
        s.execute("BEGIN");
        for (int k = 0; k < 3; k++) {
          s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
        }
        s.execute("COMMIT");
        acknowledged.incrementAndGet();
      }
    } catch (SQLException e) {
      errors.add(e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
    }
  }
}
