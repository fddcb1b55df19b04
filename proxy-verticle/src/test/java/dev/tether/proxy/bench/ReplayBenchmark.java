package dev.tether.proxy.bench;

import dev.tether.proxy.it.ProxyHarness;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tether bench replay}: how long the proxy takes to rebuild one session holding 10 changed
 * system variables, 10 user variables and 20 prepared statements on a new backend connection, over
 * many sessions. Each session's backend connection is cut (TCP relay); the time is the node's own hold
 * time, from noticing the loss to the rebuilt session (connect, log in, replay, verify), read per
 * session from the hold timer. The first {@code bench.warmup} sessions warm the JIT and are reported
 * apart, as a benchmark harness would; the client parks while it waits, so that it does not take one
 * of the two cores from the node and the server it measures.
 */
@Tag("bench")
class ReplayBenchmark {

  @Test
  void rebuildTimeOfASessionWithTenVariablesTenUserVariablesAndTwentyStatements() throws Exception {
    int sessions = Integer.getInteger("bench.sessions", 1000);
    int warmup = Integer.getInteger("bench.warmup", 200);
    List<Double> warm = new ArrayList<>();
    List<Double> cold = new ArrayList<>();
    List<Double> seen = new ArrayList<>();
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of())) {
      String url = "jdbc:mariadb://127.0.0.1:" + proxy.port()
          + "/tether?user=app&password=app&sslMode=disable&useServerPrepStmts=true&cachePrepStmts=false";
      for (int i = 0; i < warmup + sessions; i++) {
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
          double heldBefore = proxy.node().metrics().holdTimer().totalTime(TimeUnit.MILLISECONDS);
          long severed = System.nanoTime();
          proxy.relay().sever();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (proxy.node().metrics().reconnectedCount() <= before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
          }
          double held = proxy.node().metrics().holdTimer().totalTime(TimeUnit.MILLISECONDS) - heldBefore;
          (i < warmup ? cold : warm).add(held);
          if (i >= warmup) {
            seen.add((System.nanoTime() - severed) / 1e6);
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
      System.out.printf("%n== replay benchmark: %d sessions after %d warm-up sessions (10 system variables,"
          + " 10 user variables, 20 prepared statements each; node clock in whole ms)%n", warm.size(), cold.size());
      Collections.sort(warm);
      Collections.sort(seen);
      String[] names = {"p50", "p90", "p99", "p99.9", "max"};
      double[] ranks = {0.50, 0.90, 0.99, 0.999, 1.0};
      for (int k = 0; k < ranks.length; k++) {
        System.out.printf("   %-6s rebuild time: %5.0f ms (client, from cutting the connection: %6.2f ms)%n", names[k],
            at(warm, ranks[k]), at(seen, ranks[k]));
      }
      Collections.sort(cold);
      System.out.printf("   warm-up sessions: p50 %.2f ms, max %.2f ms%n", cold.isEmpty() ? 0 : cold.get(cold.size() / 2),
          cold.isEmpty() ? 0 : cold.get(cold.size() - 1));
      System.out.printf("   replays failed: %.0f%n", proxy.node().metrics().replaysFailed("replay_step_failed")
          + proxy.node().metrics().replaysFailed("reprepare_failed"));
    }
  }

  private static double at(List<Double> sorted, double rank) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(rank * sorted.size()) - 1)));
  }
}
