package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.proxy.transaction.FaultInjection;
import dev.tether.proxy.transaction.TransactionMetrics;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11, end to end through a node with real drivers: a client's open transaction survives the
 * loss of its backend connection (a TCP-level cut between node and server, never a KILL) because
 * the node replays it on the new connection and proves every result the same; when it is not the
 * same, or cannot be replayed, the client gets the documented 1213/40001 on a connection that
 * stays usable; and a COMMIT whose answer was lost is settled by the commit marker (through the
 * test-only fault hook), never applied twice, never lost.
 */
class TransactionReplayThroughProxyTest {
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of("proxy.transactions.commitMarker", "true"));
    long deadline = System.currentTimeMillis() + 15_000;
    while (!markerTableExists() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(markerTableExists(), "the node created tether_ha.commit_markers");
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty(FaultInjection.PROPERTY);
    try {
      assertTrue(proxy.awaitNoConnections(), "connections left open: clients=" + proxy.openClientConnections()
          + " backends=" + proxy.openBackendConnections());
    } finally {
      proxy.close();
    }
  }

  @BeforeEach
  void rows() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tether.txr (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
      s.execute("DELETE FROM tether.txr");
      s.execute("INSERT INTO tether.txr VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)");
      s.execute("CREATE TABLE IF NOT EXISTS tether.txr_ledger (client INT, seq INT, PRIMARY KEY (client, seq))"
          + " ENGINE=InnoDB");
      s.execute("DELETE FROM tether.txr_ledger");
    }
  }

  private static boolean markerTableExists() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
             + " WHERE TABLE_SCHEMA = 'tether_ha' AND TABLE_NAME = 'commit_markers'")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  /** The values of tether.txr, in id order, read directly from the database. */
  private static String values() throws Exception {
    return direct("SELECT GROUP_CONCAT(v ORDER BY id) FROM tether.txr");
  }

  private static String direct(String sql) throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static double replayed() {
    return proxy.node().metrics().transactions().replayedCount();
  }

  private static double failures(String reason) {
    return proxy.node().metrics().transactions().failures(reason);
  }

  private static double resolved(String outcome) {
    var counter = proxy.node().metrics().registry().find(TransactionMetrics.COMMITS_RESOLVED).tag("outcome", outcome)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    return ThroughProxy.scalar(c, sql);
  }

  @ParameterizedTest(name = "{0}, server-side prepared: {1}")
  @CsvSource({"MARIADB, false", "MARIADB, true", "MYSQL, false", "MYSQL, true"})
  void anOpenTransactionSurvivesTheLossOfItsConnectionAsIfNothingHappened(Driver driver, boolean prepared)
      throws Exception {
    double before = replayed();
    String params = prepared ? "useServerPrepStmts=true&cachePrepStmts=false" : "useServerPrepStmts=false";
    try (Connection c = proxy.connect(driver, Route.PROXY, params)) {
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement("UPDATE txr SET v = v + ? WHERE id = ?");
           PreparedStatement sum = c.prepareStatement("SELECT SUM(v), COUNT(*) FROM txr WHERE v > ?")) {
        for (int id = 1; id <= 3; id++) {
          update.setInt(1, id * 10);
          update.setInt(2, id);
          assertEquals(1, update.executeUpdate());
        }
        sum.setInt(1, 0);
        try (ResultSet rs = sum.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(60, rs.getInt(1));
          assertEquals(3, rs.getInt(2));
        }
        proxy.loseBackends(1);
        for (int id = 4; id <= 5; id++) {
          update.setInt(1, id * 10);
          update.setInt(2, id);
          assertEquals(1, update.executeUpdate(), "a statement after the loss, in the same transaction");
        }
        try (ResultSet rs = sum.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(150, rs.getInt(1), "the transaction's own writes, before and after the loss");
        }
        c.commit();
      }
      assertEquals("10,20,30,40,50", values(), "exactly as if nothing had happened");
    }
    assertEquals(before + 1, replayed(), "one transaction replayed");
  }

  @Test
  void anExplicitTransactionWithTextStatementsIsReplayedAndItsInFlightStatementRuns() throws Exception {
    double before = replayed();
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("START TRANSACTION");
      s.executeUpdate("UPDATE txr SET v = 7 WHERE id = 1");
      s.executeUpdate("INSERT INTO txr_ledger VALUES (1, 1)");
      proxy.loseBackends(1);
      s.executeUpdate("UPDATE txr SET v = 8 WHERE id = 2");
      s.execute("COMMIT");
      assertEquals("1", scalar(c, "SELECT COUNT(*) FROM txr_ledger"));
    }
    assertEquals("7,8,0,0,0", values());
    assertEquals(before + 1, replayed());
  }

  @Test
  void aRowChangedByAnotherSessionBeforeTheReplayIsAMismatchReportedAsRolledBackOnAUsableConnection()
      throws Exception {
    double before = failures("mismatch");
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertEquals("0", scalar(c, "SELECT v FROM txr WHERE id = 1"));
      s.executeUpdate("UPDATE txr SET v = 1 WHERE id = 2");
      try (Connection other = TestDatabase.shared().admin(); Statement o = other.createStatement()) {
        o.executeUpdate("UPDATE tether.txr SET v = 100 WHERE id = 1"); // what the transaction read, changed
      }
      proxy.loseBackends(1);
      SQLException lost = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE txr SET v = 2 WHERE id = 3"));
      assertEquals(1213, lost.getErrorCode());
      assertEquals("40001", lost.getSQLState());
      assertTrue(lost.getMessage().contains("could not be replayed"), lost.getMessage());
      c.rollback();
      assertEquals("1", scalar(c, "SELECT 1"), "the connection stays usable");
      s.executeUpdate("UPDATE txr SET v = 3 WHERE id = 4");
      c.commit();
    }
    assertEquals("100,0,0,3,0", values(), "the other session's change intact, the lost transaction not applied");
    assertEquals(before + 1, failures("mismatch"));
  }

  @Test
  void aTransactionThatSawNowIsNotReplayedAndSaysWhyWhileTheSameWithoutNowIs() throws Exception {
    double refusedBefore = failures("non_deterministic");
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE txr SET v = 1 WHERE id = 1");
      scalar(c, "SELECT NOW(6)");
      proxy.loseBackends(1);
      SQLException lost = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE txr SET v = 2 WHERE id = 2"));
      assertEquals(1213, lost.getErrorCode());
      assertTrue(lost.getMessage().contains("non-deterministic"), lost.getMessage());
      c.rollback();
    }
    assertEquals("0,0,0,0,0", values());
    assertEquals(refusedBefore + 1, failures("non_deterministic"));
    double before = replayed();
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE txr SET v = 1 WHERE id = 1");
      scalar(c, "SELECT 'no clock'");
      proxy.loseBackends(1);
      s.executeUpdate("UPDATE txr SET v = 2 WHERE id = 2");
      c.commit();
    }
    assertEquals("1,2,0,0,0", values());
    assertEquals(before + 1, replayed());
  }

  /** One transaction whose COMMIT goes through the fault hook; returns the ledger rows after it. */
  private static String commitThrough(FaultInjection fault, int client) throws Exception {
    System.setProperty(FaultInjection.PROPERTY, fault.name().toLowerCase(java.util.Locale.ROOT));
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      System.clearProperty(FaultInjection.PROPERTY); // read when the session starts
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO txr_ledger VALUES (" + client + ", 1)");
      s.executeUpdate("UPDATE txr SET v = v + 1 WHERE id = 1");
      c.commit(); // answered OK: never an error, whatever the fault did
      assertEquals("1", scalar(c, "SELECT COUNT(*) FROM txr_ledger WHERE client = " + client),
          "the same connection sees its commit once");
    } finally {
      System.clearProperty(FaultInjection.PROPERTY);
    }
    return direct("SELECT COUNT(*) FROM tether.txr_ledger WHERE client = " + client) + "/" + values();
  }

  @Test
  void aCommitThatCommittedBeforeItsAnswerWasLostIsAnsweredOkAndAppliedOnce() throws Exception {
    double committed = resolved("committed");
    double replayedOutcome = resolved("replayed");
    assertEquals("1/1,0,0,0,0", commitThrough(FaultInjection.DROP_AFTER_COMMIT, 41), "one row, never two, never none");
    assertEquals(committed + replayedOutcome + 1, resolved("committed") + resolved("replayed"),
        "settled by the marker");
    System.out.printf("drop_after_commit: resolved committed %+.0f, replayed %+.0f%n",
        resolved("committed") - committed, resolved("replayed") - replayedOutcome);
  }

  @Test
  void aCommitThatNeverReachedTheServerIsReplayedAndCommittedOnce() throws Exception {
    double replayedOutcome = resolved("replayed");
    double committed = resolved("committed");
    double before = replayed();
    assertEquals("1/1,0,0,0,0", commitThrough(FaultInjection.DROP_INSTEAD_OF_COMMIT, 42), "one row, never two, never none");
    assertEquals(replayedOutcome + 1, resolved("replayed"), "the marker proved it absent");
    assertEquals(committed, resolved("committed"), "the re-sent COMMIT was not dropped again");
    assertEquals(before + 1, replayed());
  }
}
