package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For each kind of session state: set it through the proxy, lose the session's backend connection
 * (a TCP-level cut between node and server, or a crash of the server), and the client's next
 * statement succeeds and sees the state unchanged. Not a {@code KILL}: a killed connection ends its
 * session on purpose, as it would on the server.
 */
class SessionSurvivesBackendLossTest extends ThroughProxy {




  /** Cuts the session's backend connection at the TCP level and waits until the proxy has rebuilt the session. */
  static long killBackend(ProxyHarness proxy, Connection c) throws Exception {
    long thread = Long.parseLong(scalar(c, "SELECT CONNECTION_ID()"));
    proxy.loseBackends(1);
    return thread;
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void schemaAndSystemVariablesSurvive(Driver driver) throws Exception {
    try (Connection c = proxy.connect(driver, Route.PROXY, "")) {
      try (Statement s = c.createStatement()) {
        s.execute("USE mysql");
        s.execute("SET SESSION sql_mode = 'ANSI_QUOTES,NO_ZERO_DATE', time_zone = '+05:30',"
            + " group_concat_max_len = 12345, div_precision_increment = 7, max_sort_length = 2000");
        s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
      }
      String before = scalar(c, "SELECT CONCAT_WS('|', DATABASE(), @@sql_mode, @@time_zone, @@group_concat_max_len,"
          + " @@div_precision_increment, @@max_sort_length, @@tx_isolation)");
      long oldThread = killBackend(proxy, c);
      assertEquals("mysql|ANSI_QUOTES,NO_ZERO_DATE|+05:30|12345|7|2000|READ-COMMITTED", before);
      assertEquals(before, scalar(c, "SELECT CONCAT_WS('|', DATABASE(), @@sql_mode, @@time_zone, @@group_concat_max_len,"
          + " @@div_precision_increment, @@max_sort_length, @@tx_isolation)"));
      assertNotEquals(oldThread, Long.parseLong(scalar(c, "SELECT CONNECTION_ID()")));
    }
  }

  @Test
  void autocommitOffSurvivesAndAnIdleSessionIsMovable() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, "")) {
      c.setAutoCommit(false);
      c.commit();
      killBackend(proxy, c);
      assertEquals("0", scalar(c, "SELECT @@autocommit"));
      c.rollback();
    }
  }

  @Test
  void userVariablesOfEveryKindSurviveByteExact() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, "")) {
      try (Statement s = c.createStatement()) {
        s.execute("SET @i = 42, @neg = -7, @d = 1.50, @r = 1e300, @s = 'héllo 😀', @b = X'00FF10',"
            + " @n = NULL, @big = 18446744073709551615, @l1 = CONVERT('café' USING latin1)");
        s.executeQuery("SELECT @x := 'assigned in a query'").close();
        s.execute("SELECT 7 INTO @y");
      }
      String sql = "SELECT CONCAT_WS('|', @i, @neg, @d, @r, @s, HEX(@b), @n IS NULL, @big, HEX(@l1),"
          + " CONVERT(@l1 USING utf8mb4), COLLATION(@l1), @x, @y)";
      String types = "SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME, ':', VARIABLE_TYPE, ':', CHARACTER_SET_NAME)"
          + " ORDER BY VARIABLE_NAME) FROM information_schema.USER_VARIABLES";
      String collations = "SELECT CONCAT_WS('|', COLLATION(@s), COLLATION(@n), COLLATION(@x), COLLATION(@b),"
          + " @@character_set_client, @@character_set_connection, @@collation_connection,"
          + " IFNULL(@@character_set_results, 'NULL'), COLLATION('lit'))";
      String before = scalar(c, sql);
      String typesBefore = scalar(c, types);
      String collationsBefore = scalar(c, collations);
      killBackend(proxy, c);
      assertEquals(typesBefore, scalar(c, types), "variable types");
      assertEquals(collationsBefore, scalar(c, collations), "variable collations");
      assertEquals("42|-7|1.50|1e300|héllo 😀|00FF10|1|18446744073709551615|636166E9|café|latin1_swedish_ci"
          + "|assigned in a query|7", before);
      assertEquals(before, scalar(c, sql));
    }
  }

  /**
   * Assignments the server makes silently, where a scan that reads SQL unlike the server would not
   * see them: after a literal ending in a backslash under NO_BACKSLASH_ESCAPES, and inside
   * executable comments. Run directly and through the proxy: the same values before, and after the
   * proxy's backend connection is lost.
   */
  @Test
  void userVariablesAssignedAfterABackslashLiteralOrInAnExecutableCommentSurvive() throws Exception {
    String sql = "SELECT CONCAT_WS('|', @p, @q, @r)";
    Map<Route, String> seen = new java.util.EnumMap<>(Route.class);
    for (Route route : Route.values()) {
      try (Connection c = proxy.connect(Driver.MARIADB, route, ""); Statement s = c.createStatement()) {
        s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
        s.executeQuery("SELECT 'a\\', @p := 'after a backslash'").close();
        s.executeQuery("SELECT 1 /*!, @q := 'in an executable comment' */").close();
        s.executeQuery("SELECT 2 /*M!100000 , @r := 'in a MariaDB executable comment' */").close();
        String before = scalar(c, sql);
        if (route == Route.PROXY) {
          killBackend(proxy, c);
        }
        seen.put(route, before + " / " + scalar(c, sql));
      }
    }
    assertEquals("after a backslash|in an executable comment|in a MariaDB executable comment"
        + " / after a backslash|in an executable comment|in a MariaDB executable comment", seen.get(Route.DIRECT));
    assertEquals(seen.get(Route.DIRECT), seen.get(Route.PROXY), "through the proxy, across the loss");
  }

  @Test
  void lastInsertIdSurvivesFromInsertsAndFromLastInsertIdExpr() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS lid (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)");
      s.execute("INSERT INTO lid (v) VALUES (1)");
      String generated = scalar(c, "SELECT LAST_INSERT_ID()");
      killBackend(proxy, c);
      assertEquals(generated, scalar(c, "SELECT LAST_INSERT_ID()"));
      s.executeQuery("SELECT LAST_INSERT_ID(987654321)").close();
      killBackend(proxy, c);
      assertEquals("987654321", scalar(c, "SELECT LAST_INSERT_ID()"));
    }
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void preparedStatementsKeepTheirIdsAndWorkAfterTheLoss(Driver driver) throws Exception {
    try (Connection c = proxy.connect(driver, Route.PROXY, "useServerPrepStmts=true&cachePrepStmts=false")) {
      PreparedStatement closedEarly = c.prepareStatement("SELECT 'early' FROM DUAL WHERE ? = 1");
      PreparedStatement plus = c.prepareStatement("SELECT ? + 1, ?");
      PreparedStatement concat = c.prepareStatement("SELECT CONCAT(?, ?)");
      closedEarly.close(); // leaves a hole in the id space the replay must not reuse wrongly
      plus.setInt(1, 41);
      plus.setString(2, "ü");
      try (ResultSet rs = plus.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      killBackend(proxy, c);
      for (int i = 0; i < 3; i++) {
        plus.setInt(1, i);
        plus.setString(2, "😀" + i);
        try (ResultSet rs = plus.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(i + 1, rs.getInt(1));
          assertEquals("😀" + i, rs.getString(2));
        }
      }
      concat.setString(1, "a");
      concat.setString(2, "b");
      try (ResultSet rs = concat.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("ab", rs.getString(1));
      }
      try (PreparedStatement fresh = c.prepareStatement("SELECT ? * 3")) {
        fresh.setInt(1, 5);
        try (ResultSet rs = fresh.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(15, rs.getInt(1));
        }
      }
      plus.close();
      concat.close();
    }
  }

  @Test
  void sqlLevelPrepareSurvives() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("PREPARE doubled FROM 'SELECT ? * 2'");
      s.execute("PREPARE gone FROM 'SELECT 1'");
      s.execute("DEALLOCATE PREPARE gone");
      s.execute("SET @p = 21");
      killBackend(proxy, c);
      assertEquals("42", scalar(c, "EXECUTE doubled USING @p"));
      SQLException e = assertThrows(SQLException.class, () -> s.execute("EXECUTE gone"));
      assertEquals(1243, e.getErrorCode()); // unknown prepared statement, as before the loss
    }
  }

  @Test
  void nextTransactionCharacteristicsSurviveAndApplyToOneTransactionOnly() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS ro_t (id INT)");
      s.execute("SET TRANSACTION READ ONLY");
      killBackend(proxy, c);
      s.execute("START TRANSACTION");
      SQLException readOnly = assertThrows(SQLException.class, () -> s.execute("INSERT INTO ro_t VALUES (1)"));
      assertEquals(1792, readOnly.getErrorCode()); // cannot write in a READ ONLY transaction
      s.execute("COMMIT");
      s.execute("START TRANSACTION");
      s.execute("INSERT INTO ro_t VALUES (1)"); // the next one is read-write again
      s.execute("ROLLBACK");
    }
  }

  @Test
  void nonAsciiTextRoundTripsByteExactAfterSetNames() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query("SET NAMES utf8mb4");
      client.read();
      client.query("SELECT CONNECTION_ID()");
      client.readScalar();
      proxy.loseBackends(1);
      client.query("SELECT 'ünïcödé 😀 𝄞'");
      String echoed = client.readScalar();
      assertArrayEquals("ünïcödé 😀 𝄞".getBytes(StandardCharsets.UTF_8), echoed.getBytes(StandardCharsets.UTF_8));
      client.query("SELECT @@character_set_client");
      assertEquals("utf8mb4", client.readScalar());
    }
  }

  @Test
  void transactionInProgressIsReportedLostOnceThenTheRetrySucceeds() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS trx_lost (id INT PRIMARY KEY)");
      s.execute("DELETE FROM trx_lost");
      c.setAutoCommit(false);
      s.execute("INSERT INTO trx_lost VALUES (1)");
      killBackend(proxy, c);
      SQLException lost = assertThrows(SQLException.class, () -> s.execute("INSERT INTO trx_lost VALUES (2)"));
      assertEquals(1213, lost.getErrorCode());
      assertEquals("40001", lost.getSQLState());
      c.rollback();
      s.execute("INSERT INTO trx_lost VALUES (1)");
      s.execute("INSERT INTO trx_lost VALUES (2)");
      c.commit();
      assertEquals("2", scalar(c, "SELECT COUNT(*) FROM trx_lost"));
    }
  }

  @Test
  void temporaryTablesAreReportedLostOnceThenTheSessionWorks() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("CREATE TEMPORARY TABLE scratch (v INT)");
      s.execute("INSERT INTO scratch VALUES (1)");
      killBackend(proxy, c);
      SQLException lost = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM scratch").close());
      assertEquals(1105, lost.getErrorCode());
      assertTrue(lost.getMessage().contains("temporary tables `tether`.`scratch`"), lost.getMessage());
      assertEquals("1", scalar(c, "SELECT 1"));
      SQLException gone = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM scratch").close());
      assertEquals(1146, gone.getErrorCode());
    }
  }

  @Test
  void readInFlightWhenTheBackendDiesIsResentAndAnswered() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, "")) {
      double retried = proxy.node().metrics().retriedCount();
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(300);
          proxy.relay().sever();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      killer.start();
      assertEquals("survived", scalar(c, "SELECT IF(SLEEP(1) = 0, 'survived', 'no')"));
      killer.join();
      assertEquals(retried + 1, proxy.node().metrics().retriedCount());
    }
  }

  /**
   * The server crashes (SIGKILL) with a write in flight and comes back: a cut connection would not do
   * here, since the server would finish the statement of a client it can no longer answer.
   */
  @Test
  void writeInFlightWhenTheBackendDiesIsNeverResent() throws Exception {
    MariaDbServer server = TestDatabase.startPrivate("inflight-write");
    try (ProxyHarness crashing = ProxyHarness.start(server.port(), Map.of());
         Connection c = crashing.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS inflight_w (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
      s.execute("DELETE FROM inflight_w");
      AtomicReference<Exception> crashFailed = new AtomicReference<>();
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(300);
          server.kill();
          server.start();
        } catch (Exception e) {
          crashFailed.set(e);
        }
      });
      killer.start();
      SQLException failed = assertThrows(SQLException.class,
          () -> s.execute("INSERT INTO inflight_w (v) SELECT SLEEP(1)"));
      killer.join();
      assertNull(crashFailed.get());
      assertTrue(failed.getErrorCode() == 1927 || failed.getErrorCode() == 1105, "error " + failed.getErrorCode());
      assertEquals("0", scalar(c, "SELECT COUNT(*) FROM inflight_w"), "never applied twice, here not at all");
    } finally {
      server.close();
    }
  }

  @Test
  void sessionPastTheHistoryCapIsRefusedMigrationWithItsReason() throws Exception {
    try (ProxyHarness capped = ProxyHarness.start(TestDatabase.shared().port(), Map.of("session.historyCap", "5"))) {
      try (Connection c = capped.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement()) {
        s.execute("SET @a1=1, @a2=2, @a3=3, @a4=4, @a5=5, @a6=6, @a7=7");
        assertEquals("1", scalar(c, "SELECT 1")); // answered once the node has read the variables back
        capped.relay().sever();
        SQLException refused = assertThrows(SQLException.class, () -> scalar(c, "SELECT @a1"));
        assertTrue(refused.getMessage().contains("history cap") || refused.getSQLState().startsWith("08"),
            refused.getMessage());
      }
      assertEquals(1.0, capped.node().metrics().replaysFailed("history_over_cap"));
      assertTrue(capped.awaitNoConnections());
    }
  }
}
