package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.node.ProxyMetrics;
import dev.tether.proxy.ProxyNode;
import dev.tether.proxy.session.ConnectionIds;
import dev.tether.testkit.HaProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drivers cancel a statement through the load balancer, by a second connection that sends
 * {@code KILL QUERY <greeting id>}: through HAProxy in front of two clustered nodes, the cancel
 * interrupts exactly its own statement whether its connection lands on the statement's node or on
 * the other one, while 30 sessions of the same user, spread over both nodes, sleep undisturbed.
 */
class CancelAcrossTheFleetTest {
  private static final String MYSQL = "jdbc:mysql://127.0.0.1:%d/tether?user=app&password=app&sslMode=DISABLED"
      + "&allowPublicKeyRetrieval=true";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:%d/tether?user=app&password=app&sslMode=disable";

  @Test
  void queryTimeoutAndCancelInterruptOnlyTheirOwnStatementOnEitherNode() throws Exception {
    try (Fleet fleet = new Fleet("cancel", 1)) {
      fleet.startNodes(2);
      try (HaProxy lb = HaProxy.start(fleet.proxyPorts)) {
        ExecutorService pool = Executors.newFixedThreadPool(30);
        List<Connection> bystanders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          bystanders.add(DriverManager.getConnection(String.format(MARIADB, lb.port())));
        }
        assertTrue(bystanderNodes(fleet, bystanders) == 2, "bystanders on both nodes");
        List<Future<String>> sleeping = new ArrayList<>();
        for (Connection b : bystanders) {
          sleeping.add(pool.submit(() -> {
            try (Statement s = b.createStatement()) {
              s.execute("SELECT SLEEP(3)");
              return "ok";
            } catch (SQLException e) {
              return e.getErrorCode() + " " + e.getMessage();
            }
          }));
        }
        for (boolean otherNode : new boolean[] {true, false}) {
          timeoutInterruptsItsOwnStatement(fleet, lb, otherNode);
        }
        for (Future<String> f : sleeping) {
          assertEquals("ok", f.get(30, TimeUnit.SECONDS), "a bystander was interrupted");
        }
        for (String url : List.of(MYSQL, MARIADB)) {
          for (boolean otherNode : new boolean[] {true, false}) {
            cancelInterruptsItsOwnStatement(fleet, lb, String.format(url, lb.port()), otherNode);
          }
        }
        pool.shutdown();
        for (Connection b : bystanders) {
          b.close();
        }
      }
    }
  }

  /** setQueryTimeout(1) on SLEEP(5): about 1 s, the driver's timeout exception, the connection usable. */
  private static void timeoutInterruptsItsOwnStatement(Fleet fleet, HaProxy lb, boolean otherNode) throws Exception {
    try (Connection c = DriverManager.getConnection(String.format(MYSQL, lb.port())); Statement s = c.createStatement()) {
      Connection spacer = otherNode ? null : DriverManager.getConnection(String.format(MARIADB, lb.port()));
      int victimNode = nodeIndex(fleet, c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId());
      double[] before = accepted(fleet);
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      try {
        s.execute("SELECT SLEEP(5)");
        throw new AssertionError("the statement was not interrupted");
      } catch (java.sql.SQLTimeoutException expected) {
        // the driver's timeout exception
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      int cancelNode = acceptedOn(fleet, before);
      assertEquals(otherNode, cancelNode != victimNode, "the cancel landed on node " + cancelNode);
      assertTrue(millis < 5000, "the statement ran to its end (" + millis + " ms)"); // about 1 s: reported
      s.setQueryTimeout(0);
      assertEquals("1", Fleet.scalar(c, "SELECT 1"));
      System.out.printf("setQueryTimeout(1), cancel on the %s node: returned after %d ms%n",
          otherNode ? "other" : "same", millis);
      if (spacer != null) {
        spacer.close();
      }
    }
  }

  /** cancel() from another thread: as directly, MariaDB Connector/J reports the server's 1317, MySQL Connector/J (mostly) its own cancel exception. */
  private static void cancelInterruptsItsOwnStatement(Fleet fleet, HaProxy lb, String url, boolean otherNode)
      throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      Connection spacer = otherNode ? null : DriverManager.getConnection(String.format(MARIADB, lb.port()));
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(500);
          s.cancel();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      canceller.start();
      long start = System.nanoTime();
      SQLException cancelled = null;
      try {
        s.execute("SELECT SLEEP(5)");
      } catch (SQLException e) {
        cancelled = e;
      }
      canceller.join();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(cancelled != null, url + ": not cancelled");
      if (url.startsWith("jdbc:mysql:")) { // its cancel exception, or the 1317 when it wins the driver's race (as directly)
        assertTrue(cancelled instanceof com.mysql.cj.jdbc.exceptions.MySQLStatementCancelledException
            || cancelled.getErrorCode() == 1317, url + ": " + cancelled);
      } else {
        assertEquals(1317, cancelled.getErrorCode(), url + ": " + cancelled);
      }
      assertTrue(millis < 5000, "the statement ran to its end (" + millis + " ms)");
      System.out.printf("%s cancel(), on the %s node: took effect after %d ms%n",
          url.startsWith("jdbc:mysql:") ? "MySQL Connector/J" : "MariaDB Connector/J",
          otherNode ? "other" : "same", millis);
      assertEquals("1", Fleet.scalar(c, "SELECT 1"));
      if (spacer != null) {
        spacer.close();
      }
    }
  }

  private static int bystanderNodes(Fleet fleet, List<Connection> connections) throws SQLException {
    java.util.Set<Integer> nodes = new java.util.HashSet<>();
    for (Connection c : connections) {
      nodes.add(nodeIndex(fleet, c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId()));
    }
    return nodes.size();
  }

  /** Which of the fleet's nodes owns the session with greeting id {@code id}. */
  private static int nodeIndex(Fleet fleet, long id) {
    assertTrue(ConnectionIds.isTether(id), "greeting id " + id);
    for (int i = 0; i < fleet.nodes.size(); i++) {
      if (fleet.nodes.get(i).sessions().connectionIds().node() == ConnectionIds.nodeOf(id)) {
        return i;
      }
    }
    throw new AssertionError("no node has number " + ConnectionIds.nodeOf(id));
  }

  private static double[] accepted(Fleet fleet) {
    return fleet.nodes.stream().mapToDouble(CancelAcrossTheFleetTest::acceptedCount).toArray();
  }

  /** The one node that accepted connections since {@code before}. */
  private static int acceptedOn(Fleet fleet, double[] before) {
    int found = -1;
    for (int i = 0; i < fleet.nodes.size(); i++) {
      if (acceptedCount(fleet.nodes.get(i)) > before[i]) {
        assertEquals(-1, found, "both nodes accepted a connection");
        found = i;
      }
    }
    assertTrue(found >= 0, "no node accepted the cancel connection");
    return found;
  }

  private static double acceptedCount(ProxyNode node) {
    return node.metrics().registry().find(ProxyMetrics.CLIENT_ACCEPTED).counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }
}
