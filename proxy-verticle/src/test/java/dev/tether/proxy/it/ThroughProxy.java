package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that share one proxy node per class in front of the test database. It
 * ends every class by checking the node leaked no client or backend connection.
 */
abstract class ThroughProxy {
  protected static ProxyHarness proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = ProxyHarness.start();
  }

  @AfterAll
  static void stopProxyLeakingNothing() throws Exception {
    try {
      assertTrue(proxy.awaitNoConnections(), "connections left open: clients=" + proxy.openClientConnections()
          + " backends=" + proxy.openBackendConnections());
    } finally {
      proxy.close();
    }
  }

  /** The first column of the first row. */
  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row from " + sql);
      return rs.getString(1);
    }
  }
}
