package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.config.AuthPlugin;
import dev.tether.config.UserAccount;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB ed25519 accounts, with and without a password, through the proxy: clients log in by
 * client_ed25519 (PyMySQL, the mariadb CLI, MariaDB Connector/J), the proxy logs them into the backend
 * the same way, and rebuilds their sessions after the server restarts. On a private server with the
 * plugin loaded.
 */
class Ed25519ThroughProxyTest {
  /** Local test credentials of the private test server. */
  private static final String USER = "tether_ed";
  private static final String PASSWORD = "ed-pässword";
  private static final String NO_PASSWORD_USER = "tether_ed_nopw";
  private static MariaDbServer server;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    server = TestDatabase.startPrivate("ed25519", 1, List.of("--plugin-load-add=auth_ed25519"));
    // an empty password is stored as the key of SHA-512(""); 10.11's PASSWORD('') gives '' instead
    server.rootSql("SET NAMES utf8mb4;"
        + " CREATE USER " + USER + "@'%' IDENTIFIED VIA ed25519 USING PASSWORD('" + PASSWORD + "');"
        + " GRANT ALL ON *.* TO " + USER + "@'%';"
        + " CREATE USER " + NO_PASSWORD_USER + "@'%' IDENTIFIED VIA ed25519 USING '"
        + java.util.Base64.getEncoder().withoutPadding().encodeToString(dev.tether.proxy.protocol.Ed25519Password.publicKey(""))
        + "'; GRANT ALL ON *.* TO " + NO_PASSWORD_USER + "@'%';");
    proxy = ProxyHarness.start(server.port(), Map.of(), List.of(
        new UserAccount(USER, PASSWORD, AuthPlugin.ED25519),
        new UserAccount(NO_PASSWORD_USER, "", AuthPlugin.parse("ed25519"))));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertTrue(proxy.awaitNoConnections(), "connections left open: clients=" + proxy.openClientConnections()
          + " backends=" + proxy.openBackendConnections());
    } finally {
      proxy.close();
      server.stop();
    }
  }

  private static String passwordOf(String user) {
    return user.equals(USER) ? PASSWORD : "";
  }

  /** PyMySQL (Debian's python3-pymysql, which signs with python3-nacl). */
  private static Tools.Result pymysql(int port, String user, String password) throws Exception {
    Tools.require("python3");
    Tools.Result probe = Tools.run(List.of("/usr/bin/python3", "-c", "import pymysql, nacl"), null, 30);
    if (System.getenv("TETHER_REQUIRE_TOOLS") != null) {
      assertEquals(0, probe.exitCode(), "python3-pymysql and python3-nacl should be installed: " + probe.output());
    }
    assumeTrue(probe.exitCode() == 0, "python3-pymysql / python3-nacl missing: " + probe.output());
    String script = "import sys, pymysql\n"
        + "c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user=sys.argv[2],"
        + " password=sys.argv[3].encode('utf-8'), database='tether')\n" // a str password it would encode as latin1
        + "cur = c.cursor(); cur.execute('SELECT CURRENT_USER(), 6 * 7'); print(cur.fetchone())\n";
    return Tools.run(List.of("/usr/bin/python3", "-c", script, String.valueOf(port), user, password), null, 60);
  }

  private static Tools.Result cli(int port, String user, String password) throws Exception {
    Tools.require("mariadb");
    List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P",
        String.valueOf(port), "-u", user, "--batch", "-N", "--default-character-set=utf8mb4"));
    if (!password.isEmpty()) {
      command.add("-p" + password);
    }
    command.addAll(List.of("tether", "-e", "SELECT CURRENT_USER(), 6 * 7"));
    return Tools.run(command, null, 60);
  }

  @ParameterizedTest
  @ValueSource(strings = {USER, NO_PASSWORD_USER})
  void pyMySqlLogsInThroughTheProxyAsDirectly(String user) throws Exception {
    Tools.Result direct = pymysql(server.port(), user, passwordOf(user));
    assertEquals("('" + user + "@%', 42)", direct.output().trim(), direct.output());
    assertEquals(direct, pymysql(proxy.port(), user, passwordOf(user)));
    Tools.Result wrong = pymysql(proxy.port(), user, "wrong");
    assertTrue(wrong.output().contains("1045"), wrong.output());
  }

  @ParameterizedTest
  @ValueSource(strings = {USER, NO_PASSWORD_USER})
  void theCommandLineClientLogsInThroughTheProxyAsDirectly(String user) throws Exception {
    Tools.Result direct = cli(server.port(), user, passwordOf(user));
    assertEquals(user + "@%\t42", direct.output().trim(), direct.output());
    assertEquals(direct, cli(proxy.port(), user, passwordOf(user)));
  }

  @Test
  void anEd25519SessionIsRebuiltAfterTheServerRestarts() throws Exception {
    String url = "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/tether?sslMode=disable";
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("SET @kept = 'across the restart'");
      s.execute("DO 1"); // served once the proxy has read the variable back
      double before = proxy.node().metrics().reconnectedCount();
      server.stop();
      server.start();
      try (ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), @kept")) {
        rs.next();
        assertEquals(USER + "@%", rs.getString(1));
        assertEquals("across the restart", rs.getString(2));
      }
      assertTrue(proxy.node().metrics().reconnectedCount() > before, "the session was rebuilt on a new login");
    }
  }
}
