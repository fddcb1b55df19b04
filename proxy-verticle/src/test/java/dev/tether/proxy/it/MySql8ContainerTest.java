package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.DockerEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The proxy in front of MySQL 8 (Testcontainers), whose default plugin is caching_sha2_password:
 * the backend login takes the full-auth RSA path. Then one session holding every kind of state is
 * rebuilt after its backend connection is cut, through the MySQL flavor's SQL (user variables from
 * performance_schema). Needs a Docker engine; skipped without one.
 */
class MySql8ContainerTest {
  private static final String ROOT_PASSWORD = "tether-test-root"; // test credential of a throwaway container
  private static MySQLContainer mysql;
  private static ProxyHarness proxy;

  /** Skips the calling test without a Docker engine; else starts MySQL 8 and a node in front of it, once. */
  private static void startMySqlAndANode() throws Exception {
    DockerEngine.assumeAvailable("the MySQL 8 backend test");
    if (proxy != null) {
      return;
    }
    mysql = new MySQLContainer("mysql:8.0").withDatabaseName("tether").withUsername("app").withPassword("app")
        .withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD);
    mysql.start();
    try (Connection root = DriverManager.getConnection("jdbc:mysql://" + mysql.getHost() + ":"
        + mysql.getMappedPort(3306) + "/tether?allowPublicKeyRetrieval=true&sslMode=DISABLED", "root", ROOT_PASSWORD); Statement s = root.createStatement()) {
      // what the README asks of an application account on MySQL 8: its user variables are read back from here
      s.execute("GRANT SELECT ON performance_schema.user_variables_by_thread TO 'app'@'%'");
      s.execute("GRANT ALL ON other.* TO 'app'@'%'");
      s.execute("CREATE DATABASE other");
    }
    proxy = ProxyHarness.start(mysql.getMappedPort(3306), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (proxy != null) {
        assertTrue(proxy.awaitNoConnections(), "connections left open");
        proxy.close();
      }
    } finally {
      if (mysql != null) {
        mysql.stop();
      }
    }
  }

  @Test
  void mysql8BackendWithCachingSha2PasswordWorksThroughTheProxy() throws Exception {
    startMySqlAndANode();
    for (Driver driver : Driver.values()) {
      try (Connection c = proxy.connect(driver, Route.PROXY, ""); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT @@version, CURRENT_USER()")) {
        assertTrue(rs.next());
        assertTrue(rs.getString(1).startsWith("8."));
        assertEquals("app@%", rs.getString(2));
      }
    }
  }

  @Test
  void aSessionHoldingEveryKindOfStateIsRebuiltOnMySql8AfterItsBackendIsCut() throws Exception {
    startMySqlAndANode();
    try (Connection c = proxy.connect(Driver.MYSQL, Route.PROXY, "useServerPrepStmts=true&cachePrepStmts=false");
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS other.lid (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)");
      s.execute("USE other");
      s.execute("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
      s.execute("SET SESSION sql_mode = 'ANSI_QUOTES,NO_ZERO_DATE', time_zone = '+05:30',"
          + " group_concat_max_len = 12345, div_precision_increment = 7");
      s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
      s.execute("SET @i = 42, @neg = -7, @d = 1.50, @r = 1e300, @s = 'héllo 😀', @b = X'00FF10',"
          + " @n = NULL, @big = 18446744073709551615, @l1 = CONVERT('café' USING latin1)");
      s.executeQuery("SELECT @x := 'assigned in a query'").close();
      s.execute("SELECT 7 INTO @y");
      s.execute("PREPARE doubled FROM 'SELECT ? * 2'");
      PreparedStatement plus = c.prepareStatement("SELECT ? + 1, ?");
      s.execute("CREATE TEMPORARY TABLE scratch (v INT)");
      s.execute("INSERT INTO lid (v) VALUES (1)");
      String lastInsertId = scalar(c, "SELECT LAST_INSERT_ID()");

      String system = "SELECT CONCAT_WS('|', DATABASE(), @@character_set_client, @@collation_connection,"
          + " @@character_set_results, @@sql_mode, @@time_zone, @@group_concat_max_len, @@div_precision_increment,"
          + " @@transaction_isolation)";
      String user = "SELECT CONCAT_WS('|', @i, @neg, @d, @r, @s, HEX(@b), @n IS NULL, @big, HEX(@l1),"
          + " CONVERT(@l1 USING utf8mb4), COLLATION(@l1), COLLATION(@s), @x, @y, @i + 0.5, @big DIV 2)";
      String types = "SELECT CONCAT_WS('|'" + jsonTypes("i", "neg", "d", "r", "s", "b", "big", "x", "y") + ")";
      String systemBefore = scalar(c, system);
      String userBefore = scalar(c, user);
      String typesBefore = scalar(c, types);
      long thread = Long.parseLong(scalar(c, "SELECT CONNECTION_ID()"));

      proxy.loseBackends(1);

      SQLException lost = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM scratch").close());
      assertEquals(1105, lost.getErrorCode());
      assertTrue(lost.getMessage().contains("temporary tables `other`.`scratch`"), lost.getMessage());
      assertNotEquals(thread, Long.parseLong(scalar(c, "SELECT CONNECTION_ID()")), "a new backend connection");
      assertEquals("other|utf8mb4|utf8mb4_unicode_ci|utf8mb4|ANSI_QUOTES,NO_ZERO_DATE|+05:30|12345|7|READ-COMMITTED",
          systemBefore);
      assertEquals(systemBefore, scalar(c, system), "schema, character set and system variables");
      assertEquals("INTEGER|INTEGER|DECIMAL|DOUBLE|STRING|BLOB|UNSIGNED INTEGER|STRING|INTEGER", typesBefore);
      assertTrue(userBefore.startsWith("42|-7|1.50|"), userBefore);
      assertEquals(typesBefore, scalar(c, types), "user variable types");
      assertEquals(userBefore, scalar(c, user), "user variables, byte for byte, with their collations");
      assertEquals(lastInsertId, scalar(c, "SELECT LAST_INSERT_ID()"), "LAST_INSERT_ID");
      s.execute("SET @p = 21");
      assertEquals("42", scalar(c, "EXECUTE doubled USING @p"), "SQL-level PREPARE");
      plus.setInt(1, 41);
      plus.setString(2, "😀");
      try (ResultSet rs = plus.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1), "binary prepared statement");
        assertEquals("😀", rs.getString(2));
      }
      plus.close();
      SQLException gone = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM scratch").close());
      assertEquals(1146, gone.getErrorCode(), "the temporary table is reported lost once, then gone");
    }
  }

  /** Each variable's JSON type: MySQL's only way to tell an INT from a DECIMAL or a binary string from text. */
  private static String jsonTypes(String... names) {
    StringBuilder sql = new StringBuilder();
    for (String name : names) {
      sql.append(", JSON_TYPE(JSON_EXTRACT(JSON_ARRAY(@").append(name).append("), '$[0]'))");
    }
    return sql.toString();
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row from " + sql);
      return rs.getString(1);
    }
  }
}
