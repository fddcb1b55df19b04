package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A 100 MB result streamed to a slow client through a proxy whose heap is capped at 64 MiB: the
 * proxy can only survive by pausing the backend while the client lags (backpressure), never by
 * buffering the result.
 */
class LargeResultStreamingTest {
  private static final int ROWS = 100_000;
  private static final int ROW_BYTES = 1_000;

  @Test
  void hundredMegabyteResultStreamsToASlowClientWithABoundedProxyHeap() throws Exception {
    try (ExternalProxy proxy = ExternalProxy.start("64m", TestDatabase.shared().port())) {
      String url = "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/tether?user=app&password=app&sslMode=disable";
      long bytes = 0;
      long rows = 0;
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.setFetchSize(1000); // stream rows instead of loading the result into the client
        try (ResultSet rs = s.executeQuery("SELECT seq, REPEAT(CHAR(65 + seq % 26), " + ROW_BYTES
            + ") FROM seq_1_to_" + ROWS)) {
          while (rs.next()) {
            rows++;
            bytes += rs.getString(2).length();
            if (rows % 10_000 == 0) {
              Thread.sleep(200); // a client slower than the server
            }
          }
        }
      }
      assertEquals(ROWS, rows);
      assertEquals((long) ROWS * ROW_BYTES, bytes);
      assertTrue(proxy.isAlive(), "the proxy died; see " + proxy.log());
    }
  }
}
