package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node with the commit marker on creates its table on the primary by itself, and serves the replay metrics. */
class CommitMarkerTableTest {

  private static boolean tableExists() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
             + " WHERE TABLE_SCHEMA = 'tether_ha' AND TABLE_NAME = 'commit_markers'")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  @Test
  void aNodeWithTheMarkerOnCreatesTheMarkerTableAtStart() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tether_ha.commit_markers");
    }
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(),
        Map.of("proxy.transactions.commitMarker", "true"))) {
      long deadline = System.currentTimeMillis() + 15_000;
      while (!tableExists() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(tableExists(), "tether_ha.commit_markers was created by the node");
      assertTrue(proxy.node().metrics().registry().find("tether.proxy.transactions.commits.resolved").counters().size() == 3);
    }
  }
}
