package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The primary restarts in place (a minor-version upgrade or a parameter change that needs a
 * restart) while 32 clients run a read/write loop through the proxy. Every client connection
 * survives; autocommit reads never fail; a transaction lost with the old connection gets the
 * documented ERR and the client's retry succeeds on the same connection; the database holds exactly
 * the acknowledged commits, give or take commits whose outcome was reported unknown.
 */
class PrimaryRestartInPlaceTest {
  private static final int CLIENTS = 32;

  @Test
  void everyConnectionSurvivesAPrimaryRestartAndAcknowledgedCommitsAreKept() throws Exception {
    MariaDbServer server = TestDatabase.startPrivate("restart");
    try (ProxyHarness proxy = ProxyHarness.start(server.port(), Map.of("proxy.eventLoops", "2"))) {
      try (Connection admin = DriverManager.getConnection(server.jdbcUrl("tether_admin", "tether_admin"));
           Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
        for (int i = 0; i < CLIENTS; i++) {
          s.execute("INSERT INTO counters VALUES (" + i + ", 0)");
        }
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong unknown = new AtomicLong();
      AtomicLong lost = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      List<Connection> connections = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, "");
        connections.add(c);
        int id = i;
        clients.add(new Thread(() -> loop(c, id, stop, acknowledged, unknown, lost, reads, unexpected), "client-" + i));
      }
      clients.forEach(Thread::start);
      Thread.sleep(1500);
      long ackedBeforeRestart = acknowledged.get();
      server.stop();
      server.start();
      Thread.sleep(3000);
      long ackedAfterRestart = acknowledged.get();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
      assertTrue(unexpected.isEmpty(), "unexpected errors: " + unexpected);
      for (Connection c : connections) {
        assertTrue(c.isValid(5), "a client connection did not survive");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
          assertTrue(rs.next());
        }
        c.close();
      }
      long total;
      try (Connection admin = DriverManager.getConnection(server.jdbcUrl("tether_admin", "tether_admin"));
           Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(n) FROM counters")) {
        rs.next();
        total = rs.getLong(1);
      }
      assertEquals(0, total % 3, "every transaction applies three updates or none");
      long committed = total / 3;
      assertTrue(committed >= acknowledged.get() && committed <= acknowledged.get() + unknown.get(),
          "committed " + committed + ", acknowledged " + acknowledged.get() + ", unknown " + unknown.get());
      assertTrue(ackedBeforeRestart > 0 && ackedAfterRestart > ackedBeforeRestart, "work continued after the restart");
      assertTrue(proxy.node().metrics().reconnectedCount() >= CLIENTS, "every session was rebuilt");
      System.out.printf("restart in place: %d commits acknowledged, %d transactions lost and retried, %d outcomes"
          + " unknown, %d reads, %d sessions rebuilt%n", acknowledged.get(), lost.get(), unknown.get(), reads.get(),
          (long) proxy.node().metrics().reconnectedCount());
      assertTrue(proxy.awaitNoConnections());
    } finally {
      server.stop();
    }
  }

  private static void loop(Connection c, int id, AtomicBoolean stop, AtomicLong acknowledged, AtomicLong unknown,
                           AtomicLong lost, AtomicLong reads, ConcurrentLinkedQueue<String> unexpected) {
    try (Statement s = c.createStatement()) {
      while (!stop.get()) {
        try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = " + id)) {
          rs.next();
          reads.incrementAndGet();
        } catch (SQLException e) {
          unexpected.add("read: " + e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
          return;
        }
        String step = "BEGIN";
        try {
          s.execute("BEGIN");
          for (int k = 0; k < 3; k++) {
            step = "UPDATE";
            s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
          }
          step = "COMMIT";
          s.execute("COMMIT");
          acknowledged.incrementAndGet();
        } catch (SQLException e) {
          if (e.getErrorCode() == 1213 && "40001".equals(e.getSQLState())) {
            // documented: transaction rolled back (also for a COMMIT that arrived after the loss: it never
            // reached a server, so the rollback is certain); the loop retries it
            lost.incrementAndGet();
          } else if (e.getErrorCode() == 1105 && "HY000".equals(e.getSQLState())) {
            if ("COMMIT".equals(step)) {
              unknown.incrementAndGet(); // documented: outcome unknown
            }
            safeRollback(s);
          } else if ((e.getErrorCode() == 1053 || e.getErrorCode() == 1927) && !"COMMIT".equals(step)) {
            lost.incrementAndGet(); // the server stopped this statement while shutting down
            safeRollback(s);
          } else {
            unexpected.add(step + ": " + e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
            return;
          }
        }
      }
    } catch (SQLException e) {
      unexpected.add("statement: " + e.getMessage());
    }
  }

  private static void safeRollback(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // the next loop shows whether the connection is usable
    }
  }
}
