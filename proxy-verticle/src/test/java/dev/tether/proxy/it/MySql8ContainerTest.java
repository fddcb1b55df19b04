package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.tether.testkit.DockerEngine;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The proxy in front of MySQL 8 (Testcontainers), whose default plugin is caching_sha2_password:
 * the backend login takes the full-auth RSA path. Needs a Docker engine; skipped without one.
 */
class MySql8ContainerTest {

  @Test
  void mysql8BackendWithCachingSha2PasswordWorksThroughTheProxy() throws Exception {
    DockerEngine.assumeAvailable("the MySQL 8 backend test");
    try (MySQLContainer mysql = new MySQLContainer("mysql:8.0").withDatabaseName("tether").withUsername("app")
        .withPassword("app")) {
      mysql.start();
      try (ProxyHarness proxy = ProxyHarness.start(mysql.getMappedPort(3306), Map.of())) {
        for (Driver driver : Driver.values()) {
          try (Connection c = proxy.connect(driver, Route.PROXY, ""); Statement s = c.createStatement();
               ResultSet rs = s.executeQuery("SELECT @@version, CURRENT_USER()")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("8."));
            assertEquals("app@%", rs.getString(2));
          }
        }
        assertTrue(proxy.awaitNoConnections());
      }
    }
  }
}
