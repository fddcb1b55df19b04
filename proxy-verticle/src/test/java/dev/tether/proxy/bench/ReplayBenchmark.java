package dev.tether.proxy.bench;

import dev.tether.proxy.it.ProxyHarness;
import dev.tether.testkit.TestDatabase;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tether bench replay}: how long the proxy takes to rebuild one session holding 10 changed
 * system variables, 10 user variables and 20 prepared statements on a new backend connection, over
 * many sessions. Each session's backend connection is cut (TCP relay); the time is the node's own hold
 * time, from noticing the loss to the rebuilt session (connect, log in, replay, verify).
 */
@Tag("bench")
class ReplayBenchmark {

  @Test
  void rebuildTimeOfASessionWithTenVariablesTenUserVariablesAndTwentyStatements() throws Exception {
    int sessions = Integer.getInteger("bench.sessions", 1000);
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of())) {
      String url = "jdbc:mariadb://127.0.0.1:" + proxy.port()
          + "/tether?user=app&password=app&sslMode=disable&useServerPrepStmts=true&cachePrepStmts=false";
      for (int i = 0; i < sessions; i++) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
          s.execute("SET SESSION sql_mode='ANSI_QUOTES', time_zone='+01:00', group_concat_max_len=4096,"
              + " div_precision_increment=6, max_sort_length=2048, sql_select_limit=100000, long_query_time=3,"
              + " net_read_timeout=40, net_write_timeout=70, lock_wait_timeout=600");
          s.execute("SET @u0=0, @u1='one', @u2=2.5, @u3=X'0003', @u4='four ü', @u5=5, @u6='six', @u7=7e7,"
              + " @u8='eight', @u9=NULL");
          List<PreparedStatement> statements = new ArrayList<>();
          for (int k = 0; k < 20; k++) {
            statements.add(c.prepareStatement("SELECT ? + " + k));
          }
          double before = proxy.node().metrics().reconnectedCount();
          proxy.relay().sever();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (proxy.node().metrics().reconnectedCount() <= before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          statements.get(19).setInt(1, 1);
          try (ResultSet rs = statements.get(19).executeQuery()) {
            rs.next();
            if (rs.getInt(1) != 20) {
              throw new AssertionError("rebuilt session answered wrongly");
            }
          }
        }
      }
      HistogramSnapshot snapshot = proxy.node().metrics().holdTimer().takeSnapshot();
      System.out.printf("%n== replay benchmark: %d sessions (10 system variables, 10 user variables,"
          + " 20 prepared statements each)%n", snapshot.count());
      for (ValueAtPercentile p : snapshot.percentileValues()) {
        System.out.printf("   p%-4.0f rebuild time: %7.2f ms%n", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS));
      }
      System.out.printf("   max    rebuild time: %7.2f ms%n", snapshot.max(TimeUnit.MILLISECONDS));
      System.out.printf("   replays failed: %.0f%n", proxy.node().metrics().replaysFailed("replay_step_failed")
          + proxy.node().metrics().replaysFailed("reprepare_failed"));
    }
  }
}
