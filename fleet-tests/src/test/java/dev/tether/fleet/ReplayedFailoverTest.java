package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.TetherConfig;
import dev.tether.cluster.Addresses;
import dev.tether.cluster.Topology;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the primary's server is killed under 32 clients through two nodes, with semi-synchronous
 * replication and the commit marker on. Open transactions are replayed on the promoted replica,
 * COMMITs whose answer was lost are settled by their marker: no client error at all, every
 * acknowledged commit on the new primary, and none applied twice (each client's ledger has a
 * unique key per sequence number, so a commit applied twice would fail the replay).
 */
class ReplayedFailoverTest {
  private static final int CLIENTS = 32;

  @Test
  void killedPrimaryUnderTransactionsWithTheMarkerOnGivesNoClientErrorAndEveryCommitOnce() throws Exception {
    try (Fleet fleet = new Fleet("replayed-failover", CLIENTS, true)) {
      try (Connection admin = Fleet.admin(fleet.primary); Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE ledger (client INT NOT NULL, seq INT NOT NULL, PRIMARY KEY (client, seq)) ENGINE=InnoDB");
      }
      fleet.startNodes(2, Map.of("proxy.transactions.commitMarker", "true"));
      awaitMarkerTable(fleet);
      TetherConfig config = fleet.config(0, "coordinator");
      Vertx coordinator = fleet.coordinator(config);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acknowledged = new AtomicLong();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      List<Connection> connections = new ArrayList<>();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Connection conn = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + fleet.proxyPorts.get(i % 2)
            + "/tether?user=app&password=app&sslMode=disable");
        connections.add(conn);
        int id = i;
        Thread client = new Thread(() -> loop(conn, id, stop, acknowledged, errors), "failover-client-" + i);
        clients.add(client);
        client.start();
      }
      Thread.sleep(1500);
      long killed = System.nanoTime();
      fleet.primary.kill();
      awaitEpoch(coordinator, 1);
      long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      Thread.sleep(2500);
      stop.set(true);
      for (Thread client : clients) {
        client.join(30_000);
      }
      assertTrue(errors.isEmpty(), "client errors: " + errors);
      for (Connection conn : connections) {
        assertTrue(conn.isValid(5), "a client connection did not survive");
        assertEquals("2", Fleet.scalar(conn, "SELECT @@server_id"), "on the new primary");
        conn.close();
      }
      long rows;
      long counted;
      try (Connection direct = Fleet.admin(fleet.replica)) {
        rows = Long.parseLong(Fleet.scalar(direct, "SELECT COUNT(*) FROM ledger"));
        counted = Long.parseLong(Fleet.scalar(direct, "SELECT SUM(n) FROM counters"));
      }
      assertEquals(acknowledged.get(), rows, "every acknowledged commit, once");
      assertEquals(acknowledged.get(), counted, "and its counter update with it");
      double replayed = 0;
      double committed = 0;
      double resolvedByReplay = 0;
      for (var node : fleet.nodes) {
        replayed += node.metrics().transactions().replayedCount();
        committed += count(node, "committed");
        resolvedByReplay += count(node, "replayed");
      }
      System.out.printf("replayed failover: kill to switched %d ms; %d commits acknowledged; %.0f transactions"
          + " replayed; lost COMMITs resolved: %.0f committed, %.0f replayed%n", failoverMillis, acknowledged.get(),
          replayed, committed, resolvedByReplay);
    }
  }

  private static double count(dev.tether.proxy.ProxyNode node, String outcome) {
    var counter = node.metrics().registry().find("tether.proxy.transactions.commits.resolved").tag("outcome", outcome)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private static void loop(Connection conn, int id, AtomicBoolean stop, AtomicLong acknowledged,
                           ConcurrentLinkedQueue<String> errors) {
    int seq = 0;
    try (Statement s = conn.createStatement()) {
      while (!stop.get()) {
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO ledger VALUES (" + id + ", " + seq + ")");
        s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
        s.execute("COMMIT");
        acknowledged.incrementAndGet();
        seq++;
      }
    } catch (SQLException e) {
      errors.add(id + "/" + seq + ": " + e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
    }
  }

  private static void awaitMarkerTable(Fleet fleet) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      try (Connection direct = Fleet.admin(fleet.replica)) {
        if ("1".equals(Fleet.scalar(direct, "SELECT COUNT(*) FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = 'tether_ha' AND TABLE_NAME = 'commit_markers'"))) {
          return; // created on the primary, replicated
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no commit marker table on the replica within 15 s");
  }

  private static void awaitEpoch(Vertx member, long epoch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject json = Fleet.await(member.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.get(Addresses.TOPOLOGY_KEY)));
      if (json != null) {
        Topology topology = Topology.fromJson(json);
        if (topology.epoch() >= epoch && topology.phase() == Topology.Phase.STABLE) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no failover within 30 s");
  }
}
