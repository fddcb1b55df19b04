package dev.tether.proxy.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.UserAccount;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Accounts created only on the database (mysql_native_password, not in the configuration) log in
 * through a node, which holds only their stored hash; a session of one is rebuilt on a restarted
 * backend with the first stage learned at login; an account created later logs in within the
 * refresh bound; a dropped or expired one stops logging in, and a locked one is refused exactly as the
 * server refuses it.
 */
class DatabaseAccountsTest {
  private static final String USER = "dbonly";
  private static final String PASSWORD = "dbonly-local-test-password";

  @Test
  void anAccountOnlyOnTheDatabaseLogsInSurvivesARestartAndStopsWhenDropped() throws Exception {
    MariaDbServer server = TestDatabase.startPrivate("accounts");
    try {
      admin(server, "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
          "GRANT SELECT ON tether.* TO '" + USER + "'@'%'",
          "CREATE USER 'locked_user'@'%' IDENTIFIED BY 'locked-pw' ACCOUNT LOCK",
          "CREATE USER 'expired_user'@'%' IDENTIFIED BY 'expired-pw' PASSWORD EXPIRE",
          "CREATE USER 'local_only'@'localhost' IDENTIFIED BY 'local-pw'");
      try (ProxyHarness proxy = ProxyHarness.start(server.port(), Map.of(
          "proxy.accounts.fromDatabase", "true",
          "proxy.accounts.user", MariaDbServer.ADMIN_USER,
          "proxy.accounts.password", MariaDbServer.ADMIN_PASSWORD,
          "proxy.accounts.refreshSeconds", "2",
          "proxy.accounts.minRefreshIntervalMs", "500"))) {
        try (Connection c = connect(proxy.port(), USER, PASSWORD)) {
          assertEquals(USER + "@%", scalar(c, "SELECT CURRENT_USER()"));
          try (Statement s = c.createStatement()) {
            s.execute("SET @kept = 'still here'");
          }
          assertEquals("still here", scalar(c, "SELECT @kept"));

          UserAccount stored = proxy.node().services().users().find(USER).orElseThrow();
          MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
          assertTrue(stored.knownByHash());
          assertNull(stored.password(), "the node holds no password");
          assertNull(stored.nativeStage1(), "nor, in its user store, anything learned from a login");
          assertArrayEquals(sha1.digest(sha1.digest(PASSWORD.getBytes(StandardCharsets.UTF_8))), stored.nativeHash(),
              "only the hash the grant tables hold");
          assertFalse(stored.toString().contains(PASSWORD));

          server.kill();
          server.start();
          assertEquals("still here", scalar(c, "SELECT @kept"), "the session was rebuilt on the restarted server");
          assertEquals(USER + "@%", scalar(c, "SELECT CURRENT_USER()"));
        }
        SQLException wrong = assertThrows(SQLException.class, () -> connect(proxy.port(), USER, "wrong").close());
        assertEquals(1045, wrong.getErrorCode());
        for (String password : new String[] {"locked-pw", "wrong"}) {
          SQLException direct = assertThrows(SQLException.class, () -> connect(server.port(), "locked_user", password).close());
          SQLException proxied = assertThrows(SQLException.class, () -> connect(proxy.port(), "locked_user", password).close());
          assertEquals(direct.getErrorCode(), proxied.getErrorCode(), "a locked account, password " + password);
          assertEquals(direct.getSQLState(), proxied.getSQLState());
          assertEquals(stripConnectionId(direct.getMessage()), stripConnectionId(proxied.getMessage()));
        }
        for (String refused : new String[] {"expired_user:expired-pw", "local_only:local-pw"}) {
          String[] up = refused.split(":");
          SQLException e = assertThrows(SQLException.class, () -> connect(proxy.port(), up[0], up[1]).close(), up[0]);
          assertEquals(1045, e.getErrorCode(), up[0]);
        }

        admin(server, "CREATE USER 'late_user'@'%' IDENTIFIED BY 'late-pw'", "GRANT SELECT ON tether.* TO 'late_user'@'%'");
        long created = System.nanoTime();
        awaitLogin(proxy.port(), "late_user", "late-pw", 10);
        System.out.printf("an account created on the database logged in through the node after %.2f s%n",
            (System.nanoTime() - created) / 1e9);

        admin(server, "DROP USER '" + USER + "'@'%'");
        Thread.sleep(3000); // the next periodic read
        SQLException dropped = assertThrows(SQLException.class, () -> connect(proxy.port(), USER, PASSWORD).close());
        assertEquals(1045, dropped.getErrorCode());
      }
    } finally {
      server.stop();
    }
  }

  @Test
  void aSessionOfAnAccountOnlyOnTheDatabaseMigratesAtASwitchover() throws Exception {
    MariaDbServer primary = TestDatabase.startPrivate("accounts-sw-a", 1);
    MariaDbServer replica = TestDatabase.startPrivate("accounts-sw-b", 2);
    try {
      replica.replicateFrom(primary);
      admin(primary, "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
          "GRANT SELECT ON tether.* TO '" + USER + "'@'%'");
      try (ProxyHarness proxy = ProxyHarness.start(primary.port(), Map.of(
          "proxy.accounts.fromDatabase", "true",
          "proxy.accounts.user", MariaDbServer.ADMIN_USER,
          "proxy.accounts.password", MariaDbServer.ADMIN_PASSWORD));
           Connection c = connect(proxy.port(), USER, PASSWORD)) {
        try (Statement s = c.createStatement()) {
          s.execute("SET @kept = 'moved along'");
        }
        assertEquals("1", scalar(c, "SELECT @@server_id"));
        java.time.Duration window = java.time.Duration.ofSeconds(2);
        proxy.node().switchover().block(1, window).toCompletionStage().toCompletableFuture().get(30, SECONDS);
        dev.tether.testkit.Promotion.planned(primary, replica);
        dev.tether.proxy.backend.BackendTarget next = new dev.tether.proxy.backend.BackendTarget("127.0.0.1", replica.port(), 1);
        proxy.node().switchover().switchTo(next).toCompletionStage().toCompletableFuture().get(30, SECONDS);
        proxy.node().switchover().restore(1).toCompletionStage().toCompletableFuture().get(30, SECONDS);
        assertEquals("2", scalar(c, "SELECT @@server_id"), "on the new primary");
        assertEquals("moved along", scalar(c, "SELECT @kept"));
        assertEquals(USER + "@%", scalar(c, "SELECT CURRENT_USER()"));
      }
    } finally {
      replica.stop();
      primary.stop();
    }
  }

  /**
   * Host patterns and REQUIRE SSL are judged as the server judges them: for each login, the node and
   * the server (logged into directly from the same address) agree on success, on CURRENT_USER() and
   * on the error.
   */
  @Test
  void hostPatternsAndRequireSslAreHonouredAsTheServerHonoursThem() throws Exception {
    MariaDbServer server = TestDatabase.startPrivate("accounts-hosts");
    try {
      admin(server,
          "CREATE USER 'elsewhere'@'10.%' IDENTIFIED BY 'elsewhere-pw'",
          "CREATE USER 'two_rows'@'127.0.0.1' IDENTIFIED BY 'specific-pw'",
          "CREATE USER 'two_rows'@'%' IDENTIFIED BY 'general-pw'",
          "CREATE USER 'prefix'@'127.0.0.%' IDENTIFIED BY 'prefix-pw'",
          "CREATE USER 'masked'@'127.0.0.0/255.0.0.0' IDENTIFIED BY 'masked-pw'",
          "CREATE USER 'named'@'localhost' IDENTIFIED BY 'named-pw'",
          "CREATE USER 'tls_only'@'%' IDENTIFIED BY 'tls-pw' REQUIRE SSL",
          "CREATE USER 'cert_only'@'%' IDENTIFIED BY 'cert-pw' REQUIRE X509");
      for (String user : new String[] {"two_rows'@'127.0.0.1", "two_rows'@'%", "prefix'@'127.0.0.%",
          "masked'@'127.0.0.0/255.0.0.0", "tls_only'@'%", "cert_only'@'%"}) {
        admin(server, "GRANT SELECT ON tether.* TO '" + user + "'");
      }
      try (ProxyHarness proxy = ProxyHarness.start(server.port(), Map.of(
          "proxy.accounts.fromDatabase", "true",
          "proxy.accounts.user", MariaDbServer.ADMIN_USER,
          "proxy.accounts.password", MariaDbServer.ADMIN_PASSWORD))) {
        String[][] logins = {
            {"elsewhere", "elsewhere-pw"}, {"two_rows", "specific-pw"}, {"two_rows", "general-pw"},
            {"prefix", "prefix-pw"}, {"masked", "masked-pw"}, {"named", "named-pw"},
            {"tls_only", "tls-pw"}, {"cert_only", "cert-pw"}};
        for (String[] login : logins) {
          String direct = outcome(server.port(), login[0], login[1]);
          String proxied = outcome(proxy.port(), login[0], login[1]);
          assertEquals(direct, proxied, login[0] + " with " + login[1]);
        }
        assertEquals("two_rows@127.0.0.1", outcome(proxy.port(), "two_rows", "specific-pw"),
            "the most specific row wins");
      }
    } finally {
      server.stop();
    }
  }

  /** CURRENT_USER() after a login, or the error code and message (without the connection id). */
  private static String outcome(int port, String user, String password) {
    try (Connection c = connect(port, user, password)) {
      return scalar(c, "SELECT CURRENT_USER()");
    } catch (SQLException e) {
      return e.getErrorCode() + " " + stripConnectionId(e.getMessage());
    }
  }

  private static String stripConnectionId(String message) {
    return message.replaceFirst("\\(conn=\\d+\\) ", "");
  }

  private static void awaitLogin(int port, String user, String password, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = connect(port, user, password)) {
        assertEquals(user + "@%", scalar(c, "SELECT CURRENT_USER()"));
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError(user + " did not log in within " + seconds + " s: " + last);
  }

  private static Connection connect(int port, String user, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/tether?user=" + user + "&password="
        + password + "&sslMode=disable");
  }

  private static void admin(MariaDbServer server, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
         Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
