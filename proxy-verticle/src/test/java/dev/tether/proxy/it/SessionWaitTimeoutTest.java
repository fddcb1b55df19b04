package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session's own wait_timeout (interactive_timeout for CLIENT_INTERACTIVE clients) ends an idle
 * client through the proxy exactly as it does directly: the next command fails the same way. A backend
 * that times out while the client is still within its own limit is healed as any other loss.
 * Runs on a private server started with interactive_timeout=1, and restarted with wait_timeout=1.
 */
class SessionWaitTimeoutTest {
  private static MariaDbServer server;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    server = TestDatabase.startPrivate("wait-timeout", 1, List.of("--interactive-timeout=1"));
    proxy = ProxyHarness.start(server.port(), Map.of());
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

  private static Connection connect(Driver driver, Route route, String params) throws SQLException {
    int port = route == Route.PROXY ? proxy.port() : server.port();
    return java.sql.DriverManager.getConnection(driver.url(port) + "?user=app&password=app" + driver.defaults()
        + (params.isEmpty() ? "" : "&" + params));
  }

  /** What the client sees of a command sent after idling past {@code setup}'s limit. */
  private static List<String> idlePastTheLimit(Driver driver, Route route, String params, String setup)
      throws Exception {
    List<String> seen = new ArrayList<>();
    try (Connection c = connect(driver, route, params)) {
      try (Statement s = c.createStatement()) {
        if (!setup.isEmpty()) {
          s.execute(setup);
        }
        try (ResultSet rs = s.executeQuery("SELECT @@session.wait_timeout")) {
          rs.next();
          seen.add("wait_timeout " + rs.getString(1));
        }
      }
      Thread.sleep(2_000);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        seen.add("answered " + rs.next());
      } catch (SQLException e) {
        seen.add(e.getClass().getSimpleName() + " " + e.getSQLState() + " " + e.getErrorCode());
      }
      seen.add("valid " + c.isValid(2));
    }
    return seen;
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void aSessionsOwnWaitTimeoutEndsItAsTheServerDoes(Driver driver) throws Exception {
    List<String> direct = idlePastTheLimit(driver, Route.DIRECT, "", "SET SESSION wait_timeout = 1");
    System.out.println(driver + " direct:  " + direct);
    assertEquals("wait_timeout 1", direct.get(0));
    assertTrue(!direct.get(1).startsWith("answered"), "directly the command fails: " + direct);
    List<String> proxied = idlePastTheLimit(driver, Route.PROXY, "", "SET SESSION wait_timeout = 1");
    System.out.println(driver + " proxied: " + proxied);
    assertEquals(direct, proxied);
  }

  /** PyMySQL (Debian's python3-pymysql): the error it raises on the command after the timeout. */
  private static String pyMySqlIdlePastTheLimit(int port) throws Exception {
    Tools.require("python3");
    String script = "import sys, time, pymysql\n"
        + "c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user='app', password='app')\n"
        + "cur = c.cursor(); cur.execute('SET SESSION wait_timeout = 1'); time.sleep(2)\n"
        + "try:\n    cur.execute('SELECT 1'); print('answered')\n"
        + "except pymysql.MySQLError as e:\n    print(type(e).__name__, e.args[0])\n";
    Tools.Result result = Tools.run(List.of("/usr/bin/python3", "-c", script, String.valueOf(port)), null, 60);
    assumeTrue(System.getenv("TETHER_REQUIRE_TOOLS") != null || !result.output().contains("No module named"),
        "python3-pymysql is not installed; ./tether test installs it");
    return result.output().trim();
  }

  @Test
  void pyMySqlSeesTheSameErrorAsDirectly() throws Exception {
    String direct = pyMySqlIdlePastTheLimit(server.port());
    assertEquals("OperationalError 2006", direct, "MySQL server has gone away");
    assertEquals(direct, pyMySqlIdlePastTheLimit(proxy.port()));
  }

  @Test
  void anInteractiveClientIsBoundByInteractiveTimeout() throws Exception {
    List<String> direct = idlePastTheLimit(Driver.MYSQL, Route.DIRECT, "interactiveClient=true", "");
    System.out.println("interactive direct:  " + direct);
    assertEquals("wait_timeout 1", direct.get(0));
    List<String> proxied = idlePastTheLimit(Driver.MYSQL, Route.PROXY, "interactiveClient=true", "");
    System.out.println("interactive proxied: " + proxied);
    assertEquals(direct, proxied);
  }

  @Test
  void aBackendThatTimesOutBeforeTheClientIsHealed() throws Exception {
    try (Connection c = connect(Driver.MARIADB, Route.PROXY, "")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@session.wait_timeout")) {
        rs.next();
        assertEquals(28800, rs.getInt(1), "the client's session starts with the server's default");
      }
      // the server comes back with wait_timeout=1: every rebuilt backend connection idles out within a second
      server.stop();
      MariaDbServer restarted = MariaDbServer.start(server.dir(), server.port(), 1,
          List.of("--interactive-timeout=1", "--wait-timeout=1"));
      try {
        double before = proxy.node().metrics().reconnectedCount();
        Thread.sleep(3_500);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
          assertTrue(rs.next(), "the client, within its own 28800 s, keeps its session");
        }
        assertTrue(proxy.node().metrics().reconnectedCount() > before, "the backend's idle timeouts were healed");
      } finally {
        restarted.stop();
        server.start();
      }
    }
  }
}
