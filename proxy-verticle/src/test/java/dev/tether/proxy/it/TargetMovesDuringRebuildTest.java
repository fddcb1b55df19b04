package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.switchover.NodeSwitchover;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.Promotion;
import dev.tether.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session loses its backend connection with a statement in flight, and while it reconnects a
 * switchover moves the node to a new primary: its new connection, made to the old primary before
 * SWITCH, lands behind the target. The session goes on to the new primary, and the statement in
 * flight goes with it: answered, run there once, never again on the old (fenced) primary. The
 * relay holds the reconnection (test-only, {@code TcpRelay.holdNew}) so SWITCH comes in between.
 */
class TargetMovesDuringRebuildTest {
  private static final String IN_FLIGHT = "SELECT @@server_id + SLEEP(1) /* in-flight-marker */";
  private static final List<String> LOGGED = List.of("--general-log=1", "--log-output=TABLE");

  /** Each test its own pair of servers: a name reused in one JVM reuses the data, general log included. */
  private static final AtomicInteger PAIRS = new AtomicInteger();

  private MariaDbServer primary;
  private MariaDbServer replica;

  @BeforeEach
  void servers() throws Exception {
    int pair = PAIRS.incrementAndGet();
    primary = TestDatabase.startPrivate("moved-" + pair + "-a", 1, LOGGED);
    replica = TestDatabase.startPrivate("moved-" + pair + "-b", 2, LOGGED);
    replica.replicateFrom(primary);
  }

  @AfterEach
  void stopServers() {
    replica.stop();
    primary.stop();
  }

  @Test
  void aStatementInFlightAtALossIsAnsweredWhenTheTargetMovesDuringTheRebuild() throws Exception {
    try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
         RawClient c = RawClient.login(node.port(), "app", "app")) {
      c.query(IN_FLIGHT);
      CompletableFuture<NodeSwitchover.Ack> switched = loseAndSwitchDuringTheRebuild(node);
      assertEquals("2", c.readScalar(), "the read in flight at the loss is answered, by the new primary");
      assertEquals(0, switched.get(5, TimeUnit.SECONDS).counts().migrating(), "the session moved");
      assertEquals(1, runs(primary), "on the old primary: only the run the loss cut short");
      assertEquals(1, runs(replica), "on the new primary: once");
    }
  }

  @Test
  void aCarriedTransactionAndItsStatementInFlightGoToTheNewPrimaryWhenTheTargetMovesDuringTheRebuild()
      throws Exception {
    sql(primary, "CREATE TABLE tether.moved (id INT PRIMARY KEY) ENGINE=InnoDB");
    try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
         RawClient c = RawClient.login(node.port(), "app", "app")) {
      c.ok("BEGIN");
      c.ok("INSERT INTO tether.moved VALUES (1)");
      c.query(IN_FLIGHT);
      CompletableFuture<NodeSwitchover.Ack> switched = loseAndSwitchDuringTheRebuild(node);
      assertEquals("2", c.readScalar(), "the transaction was replayed on the new primary, and the read answered there");
      c.ok("COMMIT");
      assertEquals(0, switched.get(5, TimeUnit.SECONDS).counts().migrating(), "the session moved");
      assertEquals("1", scalar(replica, "SELECT GROUP_CONCAT(id) FROM tether.moved"), "committed on the new primary");
      assertEquals(1, runs(replica), "the read ran once on the new primary");
      assertEquals(1, runs(primary), "and never again on the old one");
    }
  }

  @Test
  void aSessionWhoseLoginReachedTheOldPrimaryBeforeASwitchRunsItsFirstStatementOnTheNewOne() throws Exception {
    try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of())) {
      RawClient.login(node.port(), "app", "app").close(); // the node knows the backend's greeting now
      node.relay().holdNew();
      CompletableFuture<RawClient> login = CompletableFuture.supplyAsync(() -> {
        try {
          return RawClient.login(node.port(), "app", "app");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      awaitTrue(() -> node.relay().held() == 1, "the login's connection to the old primary waits in the relay");
      Promotion.planned(primary, replica);
      node.node().switchover().switchTo(new BackendTarget("127.0.0.1", replica.port(), 1))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      node.relay().release(); // the login completes on the old primary, behind the target
      try (RawClient c = login.get(30, TimeUnit.SECONDS)) {
        c.query("SELECT @@server_id");
        assertEquals("2", c.readScalar(), "its first statement runs on the new primary");
      }
    }
  }

  /**
   * With {@link #IN_FLIGHT} running on the primary: cuts the session's backend connection, holds
   * its reconnection to the old primary in the relay, promotes the replica and sends SWITCH, then
   * lets the reconnection through, now behind the target.
   */
  private CompletableFuture<NodeSwitchover.Ack> loseAndSwitchDuringTheRebuild(ProxyHarness node) throws Exception {
    awaitTrue(() -> Integer.parseInt(scalar(primary, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
        + " WHERE INFO LIKE CONCAT('%in-flight', '-marker%')")) == 1, "the statement runs on the primary");
    node.relay().holdNew();
    node.relay().sever();
    awaitTrue(() -> node.relay().held() == 1, "the session reconnects to the old primary");
    Promotion.planned(primary, replica);
    CompletableFuture<NodeSwitchover.Ack> switched = node.node().switchover()
        .switchTo(new BackendTarget("127.0.0.1", replica.port(), 1)).toCompletionStage().toCompletableFuture();
    node.relay().release();
    return switched;
  }

  /** How many times {@link #IN_FLIGHT} reached {@code server}, from its general log. */
  private static int runs(MariaDbServer server) throws SQLException {
    return Integer.parseInt(scalar(server, "SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query'"
        + " AND argument LIKE CONCAT('%in-flight', '-marker%')"));
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.holds() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(condition.holds(), what);
  }

  private static String scalar(MariaDbServer server, String sql) throws SQLException {
    try (Connection admin = DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER,
        MariaDbServer.ADMIN_PASSWORD)); Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void sql(MariaDbServer server, String sql) throws SQLException {
    try (Connection admin = DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER,
        MariaDbServer.ADMIN_PASSWORD)); Statement s = admin.createStatement()) {
      s.execute(sql);
    }
  }
}
