package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * State replay after a lost backend (here: the server restarted, not a KILL) never re-sends client
 * text cut at a {@code ;} that was inside a comment: what the server ran once as one statement is
 * not run again as several. The server's general log shows every statement the proxy sent.
 */
class ReplayNeverRunsClientTextTest {
  private static MariaDbServer server;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    server = TestDatabase.startPrivate("replay-injection", 1, List.of("--general-log=1", "--log-output=TABLE"));
    proxy = ProxyHarness.start(server.port(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    server.close();
  }

  @Test
  void aSemicolonInAHashCommentRunsNothingAfterARebuild() throws Exception {
    String sql = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED #;SET @injected:=42";
    try (RawClient direct = RawClient.login(server.port(), "app", "app")) {
      direct.query(sql);
      assertEquals(0x00, direct.read().first());
      direct.query("SELECT @injected");
      assertNull(direct.readScalar(), "the server runs it as one statement");
    }
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query(sql);
      assertEquals(0x00, client.read().first());
      restartServerAndAwaitRebuild();
      client.query("SELECT @injected");
      assertNull(client.readScalar(), "@injected must stay NULL after the rebuild");
    }
    assertEquals(0, statementsLogged("SET @injected%"));
    assertTrue(statementsLogged("SET TRANSACTION ISOLATION LEVEL READ COMMITTED") >= 1,
        "the characteristics are rebuilt from their parsed values");
  }

  @Test
  void aTagCommentWithStatementsInsideIsNotReplayedAndTheSessionLivesOn() throws Exception {
    String sql = "SET TRANSACTION READ ONLY /* app='shop';DO SLEEP(2);x='y' */";
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query("CREATE TABLE IF NOT EXISTS tagged (id INT)");
      assertEquals(0x00, client.read().first());
      client.query(sql);
      assertEquals(0x00, client.read().first());
      restartServerAndAwaitRebuild();
      client.query("START TRANSACTION");
      assertEquals(0x00, client.read().first());
      client.query("INSERT INTO tagged VALUES (1)");
      Packet refused = client.read();
      assertTrue(refused.isErr());
      assertEquals(1792, refused.errorCode(), "the rebuilt transaction is READ ONLY");
      client.query("ROLLBACK");
      assertEquals(0x00, client.read().first());
      client.query("SELECT 'alive'");
      assertEquals("alive", client.readScalar());
    }
    assertEquals(0, statementsLogged("DO SLEEP%"));
    assertEquals(0, statementsLogged("x='y'%"));
  }

  @Test
  void aSqlPrepareFollowedByAnotherStatementIsReplayedAlone() throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("tether_admin", "tether_admin"));
         java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS prepared_once (id INT)");
    }
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxy.port()
        + "/tether?user=app&password=app&allowMultiQueries=true&sslMode=disable");
         java.sql.Statement s = c.createStatement()) {
      s.execute("PREPARE twice FROM 'SELECT 2 * ?'; INSERT INTO prepared_once VALUES (1)");
      restartServerAndAwaitRebuild();
      s.execute("SET @p = 21");
      try (ResultSet rs = s.executeQuery("EXECUTE twice USING @p")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
    }
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("tether_admin", "tether_admin"));
         PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM tether.prepared_once");
         ResultSet rs = p.executeQuery()) {
      rs.next();
      assertEquals(1, rs.getInt(1), "the INSERT behind the PREPARE ran once, not again at the rebuild");
    }
  }

  private static void restartServerAndAwaitRebuild() throws Exception {
    double before = proxy.node().metrics().reconnectedCount();
    server.stop();
    server.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (proxy.node().metrics().reconnectedCount() <= before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(proxy.node().metrics().reconnectedCount() > before, "the session was not rebuilt");
  }

  private static int statementsLogged(String like) throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("tether_admin", "tether_admin"));
         PreparedStatement p = c.prepareStatement(
             "SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query' AND CONVERT(argument USING utf8mb4) LIKE ?")) {
      p.setString(1, like);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
