package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Topology;
import dev.tether.config.TetherConfig;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The truth about which server is primary survives every restart. After a failover the whole fleet
 * (coordinators and nodes) is stopped and the killed primary comes back writable, as a crashed server
 * does (read_only is not kept across a restart) and holding a write the new primary never received:
 * the restarted fleet still takes the promoted server as primary, at a higher epoch, keeps the stale
 * one fenced and detached with the transactions it holds, and no write reaches it — whichever
 * coordinator starts first. And a failed primary that holds nothing extra is taken back as a replica.
 */
class StalePrimaryAfterRestartTest {

  @Test
  void afterAFailoverAndAFullRestartThePromotedServerStaysPrimaryAndTheStaleOneTakesNoWrite() throws Exception {
    try (Fleet fleet = new Fleet("stale", 8, true)) {
      String stale = "127.0.0.1:" + fleet.primary.port();
      String promoted = "127.0.0.1:" + fleet.replica.port();
      fleet.startNodes(2);
      Fleet.Coordinators first = fleet.activeAndStandby();
      fleet.startTolerantClients(8);
      Thread.sleep(1500);
      fleet.primary.kill();
      Topology failedOver = awaitTopology(first.admin(), t -> t.epoch() >= 1 && promoted.equals(t.primary()));
      Thread.sleep(500);
      fleet.stopClients();
      long acknowledged = fleet.acknowledged.get();

      fleet.stopFleet();
      fleet.primary.start(); // back after the crash: writable, as a restart leaves it
      assertEquals("0", Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@read_only"), "it came back writable");
      try (Connection c = Fleet.admin(fleet.primary); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS tether.stale_only (id INT PRIMARY KEY)");
        s.execute("INSERT INTO tether.stale_only VALUES (1)"); // a write the new primary never received
      }
      String stalePosition = Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@gtid_binlog_pos");

      Topology restarted = restartAndCheck(fleet, first.config(), false, promoted, stale, failedOver.epoch());
      Topology.Detached fenced = restarted.detached().stream().filter(d -> d.server().equals(stale)).findFirst()
          .orElseThrow(() -> new AssertionError("the stale server is not detached: " + restarted));
      assertEquals(Topology.DetachReason.DIVERGED, fenced.reason(), fenced.toString());
      assertTrue(fenced.extraTransactions() != null && !fenced.extraTransactions().isEmpty(), fenced.toString());
      assertEquals(stalePosition, Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@gtid_binlog_pos"),
          "nothing was written to the stale server");
      assertTrue(fleet.committedOn(fleet.replica) / 3 >= acknowledged, "every acknowledged commit is on the primary");

      fleet.stopFleet(); // and once more, the coordinators and nodes started the other way round
      Topology again = restartAndCheck(fleet, first.config(), true, promoted, stale, restarted.epoch());
      assertTrue(again.isDetached(stale), again.toString());
      assertEquals(stalePosition, Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@gtid_binlog_pos"));
    }
  }

  @Test
  void aFailedPrimaryThatHoldsNothingThePrimaryLacksIsRejoinedAsItsReplica() throws Exception {
    try (Fleet fleet = new Fleet("rejoin", 2, true)) {
      String old = "127.0.0.1:" + fleet.primary.port();
      String promoted = "127.0.0.1:" + fleet.replica.port();
      fleet.startNodes(1);
      Fleet.Coordinators coordinators = fleet.activeAndStandby();
      Thread.sleep(500);
      fleet.primary.kill(); // idle: the replica has every transaction
      awaitTopology(coordinators.admin(), t -> promoted.equals(t.primary()) && t.isDetached(old));
      fleet.primary.start();

      Topology rejoined = awaitTopology(coordinators.admin(), t -> t.replicas().contains(old));
      assertFalse(rejoined.isDetached(old), rejoined.toString());
      try (Connection client = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + fleet.proxyPorts.get(0)
          + "/tether?user=app&password=app&sslMode=disable"); Statement s = client.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS rejoin_probe (id INT PRIMARY KEY)");
        s.execute("INSERT INTO rejoin_probe VALUES (7)");
      }
      awaitRow(fleet, "SELECT COUNT(*) FROM tether.rejoin_probe WHERE id = 7");
      try (Connection c = Fleet.admin(fleet.primary); Statement s = c.createStatement();
           ResultSet status = s.executeQuery("SHOW SLAVE STATUS")) {
        assertTrue(status.next(), "the old primary replicates");
        assertEquals(fleet.replica.port(), status.getInt("Master_Port"), "from the new primary");
        assertEquals("Yes", status.getString("Slave_IO_Running"));
      }
      assertEquals("1", Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@read_only"));
    }
  }

  /** Starts the coordinators and nodes again (in one order or the other) and checks who the primary is. */
  private static Topology restartAndCheck(Fleet fleet, TetherConfig config, boolean nodesFirst, String promoted,
                                          String stale, long epochBefore) throws Exception {
    AdminClient admin = new AdminClient(config.coordinator().adminPort(), config.coordinator().token());
    if (nodesFirst) {
      fleet.startNodes(2);
    }
    fleet.coordinator(config);
    admin.awaitActive();
    fleet.coordinator(config);
    if (!nodesFirst) {
      fleet.startNodes(2);
    }
    Topology topology = awaitTopology(admin, t -> t.phase() == Topology.Phase.STABLE);
    assertEquals(promoted, topology.primary(), "the primary the failover promoted: " + topology);
    assertTrue(topology.epoch() > epochBefore, "the epoch went forward: " + topology.epoch() + " after " + epochBefore);
    assertNotEquals(stale, topology.primary());
    assertEquals("1", Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@read_only"), "the stale server is fenced");
    assertEquals("0", Fleet.scalar(Fleet.admin(fleet.replica), "SELECT @@read_only"), "the primary takes writes");
    for (int port : fleet.proxyPorts) { // writes through every node land on the promoted server
      awaitServedBy(port, "2");
    }
    return topology;
  }

  private static void awaitServedBy(int proxyPort, String serverId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxyPort
          + "/tether?user=app&password=app&sslMode=disable"); Statement s = c.createStatement()) {
        seen = Fleet.scalar(c, "SELECT @@server_id");
        if (serverId.equals(seen)) {
          s.execute("CREATE TABLE IF NOT EXISTS restart_probe (id INT AUTO_INCREMENT PRIMARY KEY)");
          s.execute("INSERT INTO restart_probe VALUES ()");
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node on " + proxyPort + " serves server_id " + seen + ", not " + serverId);
  }

  private static void awaitRow(Fleet fleet, String query) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = Fleet.admin(fleet.primary)) {
        if ("1".equals(Fleet.scalar(c, query))) {
          return;
        }
      } catch (java.sql.SQLException notYet) {
        // the table has not arrived yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never replicated to the rejoined server: " + query);
  }

  private static Topology awaitTopology(AdminClient admin, java.util.function.Predicate<Topology> wanted)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    Topology last = null;
    while (System.nanoTime() < deadline) {
      try {
        JsonObject json = admin.get("/topology");
        if (json.containsKey("epoch")) {
          last = Topology.fromJson(json);
          if (wanted.test(last)) {
            return last;
          }
        }
      } catch (java.io.IOException notServing) {
        // between coordinators
      }
      Thread.sleep(200);
    }
    throw new AssertionError("topology never got there; last " + last);
  }
}
