package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.CoordinatorConfig;
import dev.tether.config.TetherConfig;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: 32 clients through two nodes, each in transactions far longer than the coordinator's
 * block window (BEGIN, 5 × UPDATE with a pause between, COMMIT), during a planned switchover
 * through the admin API. Every transaction still open when the window closes is replayed on the
 * new primary instead of being rolled back; then a switchover back in replay mode, where BLOCK
 * holds every replayable transaction at once and SWITCH replays it: zero client errors, and the
 * counters equal exactly the commits the clients saw acknowledged.
 */
class ReplayedSwitchoverTest {
  private static final int CLIENTS = 32;
  private static final int UPDATES = 5;
  private static final long PAUSE_MILLIS = 40;

  @Test
  void transactionsLongerThanTheBlockWindowOrHeldInReplayModeAreReplayedOnTheNewPrimaryWithNoClientError() throws Exception {
    try (Fleet fleet = new Fleet("replayed", CLIENTS)) {
      fleet.startNodes(2);
      TetherConfig base = fleet.config(0, "coordinator");
      CoordinatorConfig c = base.coordinator();
      CoordinatorConfig shortWindow = new CoordinatorConfig(c.adminPort(), c.token(), c.servers(), c.adminUser(),
          c.adminPassword(), c.replicationUser(), c.replicationPassword(), Duration.ofMillis(50), c.phaseTimeout(),
          c.probeInterval(), c.suspectAfter(), c.monitorInterval(), c.autoRejoin(), c.adminTls());
      TetherConfig config = new TetherConfig(base.proxy(), base.backend(), base.session(), base.cluster(), shortWindow,
          base.users());
      AdminClient admin = new AdminClient(c.adminPort(), c.token());
      fleet.coordinator(config);
      admin.awaitActive();

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
        Thread client = new Thread(() -> loop(conn, id, stop, acknowledged, errors), "replayed-client-" + i);
        clients.add(client);
        client.start();
      }
      Thread.sleep(1500);
      JsonObject sessions = admin.get("/sessions");
      assertTrue(sessions.containsKey("replayable"), sessions.encode());
      System.out.println("before the switchover: " + sessions.encode());
      long switched = System.nanoTime();
      JsonObject report = admin.post("/switchover", new JsonObject());
      long switchMillis = (System.nanoTime() - switched) / 1_000_000;
      double pastTheWindow = replayed(fleet);
      Thread.sleep(1500);
      // and back in replay mode: BLOCK holds the replayable transactions at once instead of draining them
      switched = System.nanoTime();
      JsonObject back = switchBack(admin, c.token(), new JsonObject().put("target", "127.0.0.1:" + fleet.primary.port())
          .put("mode", "replay"));
      long backMillis = (System.nanoTime() - switched) / 1_000_000;
      Thread.sleep(1500);
      stop.set(true);
      for (Thread client : clients) {
        client.join(10_000);
      }
      assertTrue(errors.isEmpty(), "client errors: " + errors);
      assertEquals(1, report.getLong("epoch"), report.encode());
      assertEquals(2, back.getLong("epoch"), back.encode());
      assertEquals("replay", back.getString("mode"));
      for (Connection conn : connections) {
        assertTrue(conn.isValid(5));
        assertEquals("1", Fleet.scalar(conn, "SELECT @@server_id"), "on the first primary again");
        conn.close();
      }
      long counted;
      try (Connection direct = Fleet.admin(fleet.primary)) {
        counted = Long.parseLong(Fleet.scalar(direct, "SELECT SUM(n) FROM counters"));
      }
      assertEquals(acknowledged.get() * UPDATES, counted, "exactly the acknowledged commits, after both switchovers");
      double replayed = replayed(fleet);
      System.out.printf("replayed switchovers: %d commits acknowledged; drain with a 50 ms window: %.0f transactions"
          + " replayed, %d ms; replay mode: %.0f replayed, %d ms, longest hold %d ms%n", acknowledged.get(),
          pastTheWindow, switchMillis, replayed - pastTheWindow, backMillis, back.getLong("longestHoldMillis"));
      assertTrue(pastTheWindow > 0, "transactions open past the block window were replayed");
      assertTrue(replayed > pastTheWindow, "transactions open at a BLOCK in replay mode were replayed");
    }
  }

  /** The switchover back, once the first run's last steps (re-pointing replicas) have let go of the run guard. */
  private static JsonObject switchBack(AdminClient admin, String token, JsonObject body) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      java.net.http.HttpResponse<String> response = admin.send(token, "POST", "/switchover", body.encode());
      if (response.statusCode() == 200 || System.nanoTime() > deadline || !response.body().contains("\"BUSY\"")) {
        assertEquals(200, response.statusCode(), response.body());
        return new JsonObject(response.body());
      }
      Thread.sleep(200);
    }
  }

  private static double replayed(Fleet fleet) {
    return fleet.nodes.stream().mapToDouble(n -> n.metrics().transactions().replayedCount()).sum();
  }

  private static void loop(Connection conn, int id, AtomicBoolean stop, AtomicLong acknowledged,
                           ConcurrentLinkedQueue<String> errors) {
    try (Statement s = conn.createStatement()) {
      while (!stop.get()) {
        s.execute("BEGIN");
        for (int k = 0; k < UPDATES; k++) {
          s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
          Thread.sleep(PAUSE_MILLIS);
        }
        s.execute("COMMIT");
        acknowledged.incrementAndGet();
      }
    } catch (SQLException e) {
      errors.add(id + ": " + e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
