package dev.tether.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Promotions done by hand, for tests that play the coordinator. Planned: fence the old primary,
 * wait until the replica applied its GTID position, make the replica the writable primary, and let
 * the old primary replicate from it (so a test can switch back). After a failure: the replica just
 * becomes the writable primary.
 */
public final class Promotion {
  private Promotion() {}

  public static void planned(MariaDbServer oldPrimary, MariaDbServer newPrimary) throws SQLException {
    try (Connection c = admin(oldPrimary); Statement s = c.createStatement()) {
      s.execute("SET GLOBAL read_only = ON");
    }
    caughtUp(oldPrimary, newPrimary);
    afterFailure(newPrimary);
    try (Connection c = admin(oldPrimary); Statement s = c.createStatement()) {
      s.execute("STOP SLAVE");
      s.execute("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"); // it continues after what it has
      s.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + newPrimary.port() + ", MASTER_USER='"
          + MariaDbServer.ADMIN_USER + "', MASTER_PASSWORD='" + MariaDbServer.ADMIN_PASSWORD + "', MASTER_USE_GTID=slave_pos");
      s.execute("START SLAVE");
    }
  }

  /** A failover's promotion (and a planned one's last step): {@code replica} stops replicating and takes writes. */
  public static void afterFailure(MariaDbServer replica) throws SQLException {
    try (Connection c = admin(replica); Statement s = c.createStatement()) {
      s.execute("STOP SLAVE");
      s.execute("RESET SLAVE ALL");
      s.execute("SET GLOBAL read_only = OFF");
    }
  }

  /** Waits until {@code replica} has applied everything {@code primary} has written so far. */
  public static void caughtUp(MariaDbServer primary, MariaDbServer replica) throws SQLException {
    String position;
    try (Connection c = admin(primary); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      position = rs.getString(1);
    }
    try (Connection c = admin(replica); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT MASTER_GTID_WAIT('" + position + "', 30)")) {
      rs.next();
      if (rs.getInt(1) != 0) {
        throw new SQLException("the replica did not catch up with " + position);
      }
    }
  }

  private static Connection admin(MariaDbServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
  }
}
