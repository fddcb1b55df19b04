package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.Differential.Scenario;
import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every scenario runs directly against MariaDB and through the proxy, with MariaDB Connector/J and
 * MySQL Connector/J, and must observe the same results, update counts, warnings and errors.
 */
class JdbcThroughProxyTest extends ThroughProxy {



  private static void assertSameBothWays(Driver driver, String params, Scenario scenario) throws Exception {
    List<Object> direct;
    List<Object> proxied;
    try (Connection c = proxy.connect(driver, Route.DIRECT, params)) {
      direct = Differential.capture(c, scenario);
    }
    try (Connection c = proxy.connect(driver, Route.PROXY, params)) {
      proxied = Differential.capture(c, scenario);
    }
    assertEquals(direct, proxied, "direct and proxied results differ");
  }

  private static String table(Driver driver, String name) {
    return name + "_" + driver.name().toLowerCase();
  }

  private static final String TYPES_DDL = "(id INT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, bi BIGINT,"
      + " de DECIMAL(20,6), fl FLOAT, db DOUBLE, d DATE, t TIME(3), dt DATETIME(6), ts TIMESTAMP(2) NULL,"
      + " y YEAR, c CHAR(10), vc VARCHAR(100), tx TEXT, bl BLOB, vb VARBINARY(16), js JSON, e ENUM('a','b'),"
      + " bt BIT(8)) CHARACTER SET utf8mb4";

  private static final String TYPES_ROWS = "(1, -128, 65535, -9223372036854775808, 12345678901234.123456, 1.5,"
      + " 2.718281828459045, '2024-02-29', '-838:59:59.999', '2024-12-31 23:59:59.999999', '2038-01-19 03:14:07.99',"
      + " 2024, 'abc', 'héllo wörld 😀 𝄞', REPEAT('x', 3000), X'00FF10', X'DEADBEEF', '{\"k\": [1, 2.5, null]}', 'b',"
      + " b'10100101'),"
      + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
      + " NULL, NULL),"
      + " (3, 127, 0, 9223372036854775807, -0.000001, -3.4e38, 1e-300, '1000-01-01', '00:00:00', '1000-01-01 00:00:00',"
      + " '1970-01-01 00:00:01', 1901, '', '', '', '', '', '[]', 'a', b'0')";

  @ParameterizedTest
  @EnumSource(Driver.class)
  void textQueriesReturnTheSameValuesForEveryCommonColumnType(Driver driver) throws Exception {
    String t = table(driver, "types_text");
    assertSameBothWays(driver, "", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + t);
        s.execute("CREATE TABLE " + t + TYPES_DDL);
        List<Object> out = new ArrayList<>();
        out.add(Differential.results(s, s.execute("INSERT INTO " + t + " VALUES " + TYPES_ROWS)));
        out.add(Differential.results(s, s.execute("SELECT * FROM " + t + " ORDER BY id")));
        out.add(Differential.results(s, s.execute("SELECT CAST('x' AS SIGNED), 1/0")));
        return out;
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void preparedQueriesReturnTheSameValuesForEveryCommonColumnType(Driver driver) throws Exception {
    String t = table(driver, "types_prepared");
    assertSameBothWays(driver, "useServerPrepStmts=true", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + t);
        s.execute("CREATE TABLE " + t + TYPES_DDL);
        s.execute("INSERT INTO " + t + " VALUES " + TYPES_ROWS);
      }
      List<Object> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + t + " WHERE id >= ? AND (vc <> ? OR vc IS NULL) ORDER BY id")) {
        for (int round = 0; round < 3; round++) {
          p.setInt(1, round);
          p.setString(2, "zzz");
          try (ResultSet rs = p.executeQuery()) {
            out.add(Differential.rows(rs));
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " (id, vc, dt, de, bl) VALUES (?, ?, ?, ?, ?)")) {
        p.setInt(1, 10);
        p.setString(2, "prepared ✓ 😀");
        p.setTimestamp(3, java.sql.Timestamp.valueOf("2025-06-01 12:34:56.123456"));
        p.setBigDecimal(4, new java.math.BigDecimal("-99999999999999.999999"));
        p.setBytes(5, new byte[] {0, 1, 2, (byte) 0xFF});
        out.add(p.executeUpdate());
      }
      try (PreparedStatement p = c.prepareStatement("SELECT vc, dt, de, bl FROM " + t + " WHERE id = ?")) {
        p.setInt(1, 10);
        try (ResultSet rs = p.executeQuery()) {
          out.add(Differential.rows(rs));
        }
      }
      return out;
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void errorCodesAndSqlStatesPassThroughUnchanged(Driver driver) throws Exception {
    String t = table(driver, "errors");
    try (Connection c = proxy.connect(driver, Route.DIRECT, ""); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + t);
      s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
      s.execute("INSERT INTO " + t + " VALUES (1, 1)");
    }
    assertSameBothWays(driver, "", c -> {
      List<Object> out = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        out.add(Differential.capture(c, x -> List.of(s.execute("SELEC 1"))));
        out.add(Differential.capture(c, x -> List.of(s.executeUpdate("INSERT INTO " + t + " VALUES (1, 2)"))));
        out.add(Differential.capture(c, x -> List.of(s.execute("SELECT * FROM no_such_table"))));
        out.add(Differential.results(s, s.execute("SELECT 1")));
      }
      return out;
    });
    assertSameBothWays(driver, "", c -> {
      // a second session holds the row lock; ours times out after one second
      try (Connection holder = proxy.connect(driver, Route.DIRECT, ""); Statement h = holder.createStatement();
           Statement s = c.createStatement()) {
        holder.setAutoCommit(false);
        h.executeUpdate("UPDATE " + t + " SET v = v + 1 WHERE id = 1");
        s.execute("SET SESSION innodb_lock_wait_timeout = 1");
        List<Object> out = Differential.capture(c, x -> List.of(s.executeUpdate("UPDATE " + t + " SET v = 0 WHERE id = 1")));
        holder.rollback();
        return out;
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void storedProcedureWithResultSetsAndOutParametersReturnsEveryResult(Driver driver) throws Exception {
    String p = table(driver, "proc");
    try (Connection c = proxy.connect(driver, Route.DIRECT, ""); Statement s = c.createStatement()) {
      s.execute("DROP PROCEDURE IF EXISTS " + p);
      s.execute("CREATE PROCEDURE " + p + "(IN a INT, OUT b INT, INOUT c VARCHAR(20)) BEGIN"
          + " SELECT a AS first; SELECT a * 2 AS second, 'two' AS label; SET b = a * 3; SET c = CONCAT(c, '!'); END");
    }
    assertSameBothWays(driver, "", c -> {
      List<Object> out = new ArrayList<>();
      try (CallableStatement call = c.prepareCall("{call " + p + "(?, ?, ?)}")) {
        call.setInt(1, 7);
        call.registerOutParameter(2, Types.INTEGER);
        call.setString(3, "hey");
        call.registerOutParameter(3, Types.VARCHAR);
        out.add(Differential.results(call, call.execute()));
        out.add(call.getInt(2));
        out.add(call.getString(3));
      }
      try (Statement s = c.createStatement()) {
        out.add(Differential.results(s, s.execute("CALL " + p + "(1, @b, @c)")));
        out.add(Differential.results(s, s.execute("SELECT @b, @c")));
      }
      return out;
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void multiStatementQueriesReturnEveryResult(Driver driver) throws Exception {
    String params = driver == Driver.MARIADB ? "allowMultiQueries=true" : "allowMultiQueries=true";
    assertSameBothWays(driver, params, c -> {
      try (Statement s = c.createStatement()) {
        return Differential.results(s, s.execute("SELECT 1 AS a; DO 1; SELECT 'x' AS b, 2 AS c UNION SELECT 'y', 3; SET @m = 5; SELECT @m"));
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void serverSideCursorsFetchEveryRowInBatches(Driver driver) throws Exception {
    String t = table(driver, "cursor");
    try (Connection c = proxy.connect(driver, Route.DIRECT, ""); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + t);
      s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))");
      s.execute("INSERT INTO " + t + " SELECT seq, CONCAT('row ', seq) FROM seq_1_to_250");
    }
    String params = driver == Driver.MYSQL ? "useCursorFetch=true&useServerPrepStmts=true" : "useServerPrepStmts=true";
    assertSameBothWays(driver, params, c -> {
      List<Object> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id, v FROM " + t + " WHERE id > ? ORDER BY id")) {
        p.setFetchSize(7);
        p.setInt(1, 3);
        try (ResultSet rs = p.executeQuery()) {
          out.add(Differential.rows(rs));
        }
        // a second cursor on the same statement, closed after a few rows
        p.setInt(1, 200);
        try (ResultSet rs = p.executeQuery()) {
          for (int i = 0; i < 10 && rs.next(); i++) {
            out.add(rs.getString(2));
          }
        }
      }
      try (Statement s = c.createStatement()) {
        out.add(Differential.results(s, s.execute("SELECT COUNT(*) FROM " + t)));
      }
      return out;
    });
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void loadDataLocalInfileUploadsTheClientFile(Driver driver) throws Exception {
    String t = table(driver, "infile");
    Path file = Files.createTempFile("tether-infile", ".csv");
    StringBuilder csv = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      csv.append(i).append(",value ").append(i).append(" é😀\n");
    }
    Files.writeString(file, csv);
    String params = driver == Driver.MARIADB ? "allowLocalInfile=true" : "allowLoadLocalInfile=true";
    assertSameBothWays(driver, params, c -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + t);
        s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(60)) CHARACTER SET utf8mb4");
        List<Object> out = new ArrayList<>();
        out.add(s.executeUpdate("LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE " + t
            + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','"));
        out.add(Differential.results(s, s.execute("SELECT COUNT(*), SUM(id), MAX(v) FROM " + t)));
        out.add(Differential.capture(c, x -> List.of(s.executeUpdate("LOAD DATA LOCAL INFILE '/nonexistent/file.csv' INTO TABLE " + t))));
        out.add(Differential.results(s, s.execute("SELECT 'still usable'")));
        return out;
      }
    });
    Files.delete(file);
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void twentyMebibyteBlobRoundTripsByteExact(Driver driver) throws Exception {
    String t = table(driver, "bigblob");
    byte[] blob = new byte[20 * 1024 * 1024 + 7];
    new Random(42).nextBytes(blob);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(blob);
    try (Connection c = proxy.connect(driver, Route.PROXY, "useServerPrepStmts=true")) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + t);
        s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, b LONGBLOB)");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?)")) {
        p.setInt(1, 1);
        p.setBytes(2, blob);
        assertEquals(1, p.executeUpdate());
      }
      for (String sql : List.of("SELECT b FROM " + t + " WHERE id = 1", "SELECT b, LENGTH(b) FROM " + t)) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          assertTrue(rs.next());
          assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(rs.getBytes(1)), sql);
        }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT b FROM " + t + " WHERE id = ?")) {
        p.setInt(1, 1);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(rs.getBytes(1)), "binary protocol");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void tlsConnectionToTheProxyWorks(Driver driver) throws Exception {
    String params = driver == Driver.MARIADB ? "sslMode=trust" : "sslMode=REQUIRED";
    try (Connection c = java.sql.DriverManager.getConnection(
        (driver == Driver.MARIADB ? "jdbc:mariadb" : "jdbc:mysql") + "://127.0.0.1:" + proxy.port()
            + "/tether?user=app&password=app&" + params);
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'over tls ✓', REPEAT('z', 100000)")) {
      assertTrue(rs.next());
      assertEquals("over tls ✓", rs.getString(1));
      assertEquals(100_000, rs.getString(2).length());
    }
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void wrongPasswordIsDeniedWithAccessDenied(Driver driver) throws Exception {
    java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
        () -> proxy.connect(driver, Route.PROXY, "app", "wrong", "").close());
    assertEquals(1045, e.getErrorCode());
    assertEquals("28000", e.getSQLState());
    assertTrue(e.getMessage().contains("Access denied for user 'app'@'127.0.0.1' (using password: YES)"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void unknownSchemaIsRefusedWithBadDbError(Driver driver) throws Exception {
    String url = (driver == Driver.MARIADB ? "jdbc:mariadb" : "jdbc:mysql") + "://127.0.0.1:" + proxy.port()
        + "/no_such_schema?user=app&password=app&sslMode=" + (driver == Driver.MARIADB ? "disable" : "DISABLED");
    java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
        () -> java.sql.DriverManager.getConnection(url).close());
    assertEquals(1049, e.getErrorCode());
    assertEquals("42000", e.getSQLState());
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void connectionIsAlwaysOnTheProxyNotTheServerScramble(Driver driver) throws Exception {
    try (Connection c = proxy.connect(driver, Route.PROXY, ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT USER(), DATABASE(), @@version")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith(MariaDbServer.APP_USER + "@"));
      assertEquals("tether", rs.getString(2));
      assertNotNull(rs.getString(3));
    }
  }
}
