package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Commands that change who or what the session is: COM_CHANGE_USER, COM_INIT_DB, and the user's auth plugin. */
class SessionCommandsThroughProxyTest extends ThroughProxy {

  @ParameterizedTest
  @EnumSource(Route.class)
  void changeUserLogsInAsTheNewUserWithAFreshSession(Route route) throws Exception {
    try (Connection c = proxy.connect(Driver.MYSQL, route, "")) {
      try (Statement s = c.createStatement()) {
        s.execute("SET @before_change = 1");
      }
      ((JdbcConnection) c).changeUser("app2", "app2");
      assertTrue(scalar(c, "SELECT CURRENT_USER()").startsWith("app2@"));
      assertNull(scalar(c, "SELECT @before_change"), "user variables do not survive COM_CHANGE_USER");
      ((JdbcConnection) c).changeUser("app", "app");
      assertTrue(scalar(c, "SELECT CURRENT_USER()").startsWith("app@"));
    }
  }

  @Test
  void changeUserWithAWrongPasswordIsDenied() throws Exception {
    try (Connection c = proxy.connect(Driver.MYSQL, Route.PROXY, "")) {
      SQLException e = assertThrows(SQLException.class, () -> ((JdbcConnection) c).changeUser("app2", "nope"));
      assertEquals(1045, e.getErrorCode());
    }
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void initDbChangesTheDefaultSchema(Driver driver) throws Exception {
    try (Connection c = proxy.connect(driver, Route.PROXY, "")) {
      c.setCatalog("mysql");
      assertEquals("mysql", scalar(c, "SELECT DATABASE()"));
      SQLException e = assertThrows(SQLException.class, () -> c.setCatalog("no_such_schema_here"));
      assertEquals(1049, e.getErrorCode());
      assertEquals("mysql", scalar(c, "SELECT DATABASE()"));
    }
  }

  /**
   * MariaDB Connector/J only: MySQL Connector/J misreads auth-more-data from any server whose version
   * is below 5.5.16, and a MariaDB identity ("5.5.5-10.11...") is; real MariaDB never offers
   * caching_sha2_password, so only a proxy presenting MariaDB while verifying caching_sha2 meets it.
   */
  @Test
  void cachingSha2PasswordClientsAuthenticateByFullAuthThenFastAuth() throws Exception {
    try (ProxyHarness sha2 = ProxyHarness.start(proxy.backendPort(), Map.of("test.userPlugin", "caching_sha2_password"))) {
      // first login: full authentication by RSA key exchange; second: fast path from the cache
      for (int attempt = 0; attempt < 2; attempt++) {
        try (Connection c = sha2.connect(Driver.MARIADB, Route.PROXY, "")) {
          assertTrue(scalar(c, "SELECT CURRENT_USER()").startsWith("app@"));
        }
      }
      String tls = "jdbc:mariadb://127.0.0.1:" + sha2.port() + "/tether?user=app2&password=app2&sslMode=trust";
      try (Connection c = DriverManager.getConnection(tls)) {
        assertTrue(scalar(c, "SELECT CURRENT_USER()").startsWith("app2@"), "full authentication over TLS");
      }
      SQLException e = assertThrows(SQLException.class, () -> sha2.connect(Driver.MARIADB, Route.PROXY, "app", "bad", "").close());
      assertEquals(1045, e.getErrorCode());
      assertTrue(sha2.awaitNoConnections());
    }
  }
}
