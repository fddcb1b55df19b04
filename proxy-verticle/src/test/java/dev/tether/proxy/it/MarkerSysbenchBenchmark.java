package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the commit marker costs in throughput (issue 11): sysbench {@code oltp_read_write} through
 * a node, marker off and on, in alternating rounds against the same tables. Not part of the suite:
 * {@code mvn -o -pl proxy-verticle -am -Dtether.excludedGroups= -Dtest=MarkerSysbenchBenchmark test}
 * (system properties bench.threads, bench.seconds, bench.rounds).
 */
@Tag("bench")
class MarkerSysbenchBenchmark {
  private static final Pattern TPS = Pattern.compile("transactions:\\s+\\d+\\s+\\((\\d+(?:\\.\\d+)?) per sec");

  @Test
  void oltpReadWriteTransactionsPerSecondWithTheMarkerOffAndOn() throws Exception {
    Tools.require("sysbench");
    int threads = Integer.getInteger("bench.threads", 16);
    int seconds = Integer.getInteger("bench.seconds", 15);
    int rounds = Integer.getInteger("bench.rounds", 2);
    try (ProxyHarness off = ProxyHarness.start(TestDatabase.shared().port(), Map.of());
         ProxyHarness on = ProxyHarness.start(TestDatabase.shared().port(),
             Map.of("proxy.transactions.commitMarker", "true"))) {
      sysbench(off.port(), threads, 5, "cleanup");
      assertEquals(0, sysbench(off.port(), threads, 5, "prepare").exitCode());
      List<String> results = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (boolean markerFirst : new boolean[] {round % 2 == 1}) {
          double first = tps(sysbench((markerFirst ? on : off).port(), threads, seconds, "run"));
          double second = tps(sysbench((markerFirst ? off : on).port(), threads, seconds, "run"));
          double marker = markerFirst ? first : second;
          double plain = markerFirst ? second : first;
          results.add(String.format("round %d: marker off %.1f tps, on %.1f tps (%+.1f%%)", round + 1, plain, marker,
              100 * (marker - plain) / plain));
        }
      }
      results.forEach(line -> System.out.println("marker sysbench (" + threads + " threads, " + seconds + " s): "
          + line));
      try (var admin = TestDatabase.shared().admin(); var s = admin.createStatement();
           var rs = s.executeQuery("SELECT COUNT(*) FROM tether_ha.commit_markers")) {
        rs.next();
        System.out.println("marker sysbench: " + rs.getLong(1) + " markers written");
        assertTrue(rs.getLong(1) > 0, "the marker was written");
      }
      sysbench(off.port(), threads, 5, "cleanup");
    }
  }

  private static double tps(Tools.Result result) {
    Matcher m = TPS.matcher(result.output());
    assertTrue(m.find(), result.output());
    Matcher errors = Pattern.compile("ignored errors:\\s+(\\d+)").matcher(result.output());
    assertTrue(errors.find() && "0".equals(errors.group(1)), result.output());
    return Double.parseDouble(m.group(1));
  }

  private static Tools.Result sysbench(int port, int threads, int seconds, String step) throws Exception {
    return Tools.run(List.of("sysbench", "oltp_read_write", "--db-driver=mysql", "--mysql-host=127.0.0.1",
        "--mysql-port=" + port, "--mysql-user=app", "--mysql-password=app", "--mysql-db=tether", "--tables=4",
        "--table-size=10000", "--threads=" + threads, "--time=" + seconds, "--rand-type=uniform", step), null,
        seconds + 120L);
  }
}
