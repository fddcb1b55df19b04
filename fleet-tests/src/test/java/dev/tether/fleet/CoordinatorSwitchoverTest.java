package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.TetherConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fleet end to end: two proxy nodes, an active and a standby coordinator, all cluster members on
 * loopback. A planned switchover through the admin API while 32 clients loop transactions through
 * both nodes keeps every connection with zero client errors, and the new primary holds exactly the
 * acknowledged commits, and a session with a temporary table, a user variable and a prepared
 * statement keeps them all. Then the active coordinator dies, the standby takes over, and switches back.
 */
class CoordinatorSwitchoverTest {
  private static final int CLIENTS = 32;

  @Test
  void plannedSwitchoverThroughTheAdminApiThenTheStandbyTakesOverAndSwitchesBack() throws Exception {
    try (Fleet fleet = new Fleet("coord", CLIENTS)) {
      fleet.startNodes(2);
      Fleet.Coordinators coordinators = fleet.activeAndStandby();
      TetherConfig config = coordinators.config();
      AdminClient admin = coordinators.admin();
      Vertx active = coordinators.active();
      Vertx standby = coordinators.standby();

      JsonObject topology = awaitHealth(admin);
      assertEquals("127.0.0.1:" + fleet.primary.port(), topology.getString("primary"));
      JsonObject primaryHealth = topology.getJsonArray("servers").getJsonObject(0);
      JsonObject replicaHealth = topology.getJsonArray("servers").getJsonObject(1);
      assertEquals("PRIMARY", primaryHealth.getString("role"), topology.encode());
      assertEquals(false, primaryHealth.getBoolean("readOnly"));
      assertEquals("REPLICA", replicaHealth.getString("role"), topology.encode());
      assertEquals(true, replicaHealth.getBoolean("replicating"));
      assertEquals(0L, replicaHealth.getLong("lagSeconds"), "an idle replica does not lag");
      assertTrue(replicaHealth.getString("gtidPosition").startsWith("0-1-"), topology.encode());
      assertEquals(401, admin.send("wrong-token", "GET", "/topology", null).statusCode());

      Connection bypassing = java.sql.DriverManager.getConnection(fleet.primary.jdbcUrl("app", "app"));
      Connection stateful = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + fleet.proxyPorts.get(1)
          + "/tether?user=app&password=app&sslMode=disable&useServerPrepStmts=true");
      try (Statement s = stateful.createStatement()) {
        s.execute("SET @carried = 'über', SESSION sql_mode = 'ANSI_QUOTES'");
        s.execute("CREATE TEMPORARY TABLE scratch (k INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB");
        s.execute("INSERT INTO scratch VALUES (1, 'één'), (2, NULL)");
      }
      PreparedStatement lookup = stateful.prepareStatement("SELECT CONCAT_WS('|', v, @carried, @@sql_mode, @@server_id)"
          + " FROM scratch WHERE k = ?");
      fleet.startClients(CLIENTS);
      Thread.sleep(1000);
      JsonObject sessions = admin.get("/sessions");
      assertEquals(CLIENTS + 1, sessions.getInteger("sessions"), "the clients and the stateful session: " + sessions.encode());
      assertEquals(2, sessions.getJsonArray("nodes").size());
      JsonObject report = admin.post("/switchover", new JsonObject());
      Thread.sleep(1000);
      fleet.stopClients();
      assertTrue(fleet.errors.isEmpty(), "client errors: " + fleet.errors);
      assertEquals(1, report.getLong("epoch"));
      for (Connection c : fleet.connections) {
        assertTrue(c.isValid(5));
        assertEquals("2", Fleet.scalar(c, "SELECT @@server_id"), "on the new primary");
      }
      assertEquals(fleet.acknowledged.get() * 3, fleet.committedOn(fleet.replica), "exactly the acknowledged commits");
      lookup.setInt(1, 1);
      try (ResultSet rs = lookup.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("één|über|ANSI_QUOTES|2", rs.getString(1),
            "temporary table rows, user variable, sql_mode and prepared statement, on the new primary");
      }
      stateful.close();
      assertTrue(!bypassing.isValid(2), "a client connected straight to the old primary was disconnected (fencing)");
      bypassing.close();
      System.out.println("coordinator switchover report: " + report.encode());
      String metrics = admin.text("/metrics");
      assertTrue(metrics.contains("tether_coordinator_switchovers_total{kind=\"planned\",outcome=\"done\"} 1.0"), metrics);
      assertTrue(metrics.contains("tether_coordinator_active 1.0"), metrics);
      assertTrue(metrics.contains("tether_coordinator_server_up{server=\"127.0.0.1:" + fleet.replica.port() + "\"} 1.0"),
          metrics);

      // the active coordinator dies; the standby takes over within seconds and can switch back
      Fleet.await(active.close());
      fleet.members.remove(active);
      admin.awaitActive();
      JsonObject back = admin.post("/switchover",
          new JsonObject().put("target", "127.0.0.1:" + fleet.primary.port()));
      assertEquals(2, back.getLong("epoch"));
      for (Connection c : fleet.connections) {
        assertEquals("1", Fleet.scalar(c, "SELECT @@server_id"), "back on the first primary");
      }
      assertEquals(fleet.committedOn(fleet.replica), fleet.committedOn(fleet.primary), "nothing lost switching back");
    }
  }

  /** The topology once the monitor has read both servers. */
  private static JsonObject awaitHealth(AdminClient admin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject topology = admin.get("/topology");
    while (topology.getJsonArray("servers").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      topology = admin.get("/topology");
    }
    return topology;
  }
}
