package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves while its statement runs does not leave the statement running on the
 * server: the node ends it with KILL QUERY from a connection of its own, and counts it.
 */
class ClientLeavesMidCommandTest {

  @Test
  void fiveClientsThatLeaveDuringASleepLeaveNothingRunning() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of())) {
      List<RawClient> clients = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        RawClient client = RawClient.login(proxy.port(), "app", "app");
        client.query("SELECT SLEEP(20) AS left_behind_marker");
        clients.add(client);
      }
      Thread.sleep(500);
      assertEquals(5, running("left_behind_marker"), "the five statements run");
      for (RawClient client : clients) {
        client.close();
      }
      // The server itself notices a closed connection during SLEEP only every 5 s of the sleep; the
      // node's KILL QUERY ends it at once, so well before that.
      long deadline = System.nanoTime() + 2_500_000_000L;
      while (running("left_behind_marker") > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, running("left_behind_marker"), "statements of clients that left still run");
      assertTrue(proxy.awaitNoConnections());
      assertEquals(5.0, proxy.node().metrics().registry().get("tether.proxy.queries.cancelled")
          .tag("outcome", "killed").counter().count());
    }
  }

  private static int running(String marker) throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
             + marker + "%' AND INFO NOT LIKE '%PROCESSLIST%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
