package dev.tether.coordinator.status;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The status tables and page say what the status document says, including what went wrong. */
class StatusRenderingTest {
  private static JsonObject status() {
    return new JsonObject().put("readAtMillis", 1_700_000_000_000L)
        .put("coordinator", new JsonObject().put("nodeId", "coordinator-1").put("admin", "127.0.0.1:8033"))
        .put("topology", new JsonObject().put("epoch", 4).put("primary", "127.0.0.1:13307").put("phase", "STABLE")
            .put("servers", new JsonArray()
                .add(new JsonObject().put("server", "127.0.0.1:13306").put("role", "UNKNOWN").put("reachable", false)
                    .put("readOnly", false).put("error", "Connection refused <&>"))
                .add(new JsonObject().put("server", "127.0.0.1:13307").put("role", "PRIMARY").put("reachable", true)
                    .put("readOnly", false).put("gtidPosition", "0-2-77"))))
        .put("nodes", new JsonArray()
            .add(new JsonObject().put("nodeId", "proxy-1").put("host", "127.0.0.1").put("port", 6033).put("answered", true)
                .put("sessions", 5).put("quiescent", 3).put("inTransaction", 2).put("migrating", 0).put("reachesPrimary", true))
            .add(new JsonObject().put("nodeId", "proxy-2").put("host", "127.0.0.1").put("port", 6034).put("answered", false)))
        .put("sessions", new JsonObject().put("sessions", 5).put("inTransaction", 2).put("migrating", 0))
        .put("switchovers", new JsonArray()
            .add(new JsonObject().put("kind", "planned").put("outcome", "failed").put("startedAtMillis", 1_699_999_990_000L)
                .put("error", "a switchover is already in progress (BLOCKING)"))
            .add(new JsonObject().put("kind", "failover").put("outcome", "done").put("startedAtMillis", 1_699_999_900_000L)
                .put("from", "127.0.0.1:13306").put("to", "127.0.0.1:13307").put("epoch", 4).put("totalMillis", 700)
                .put("promote", new JsonObject().put("millis", 20)).put("switch", new JsonObject().put("millis", 540))));
  }

  @Test
  void theTablesShowEveryServerNodeAndRunWithItsOutcome() {
    String text = StatusText.status(status());
    assertTrue(text.startsWith("coordinator coordinator-1 is active (admin API 127.0.0.1:8033); epoch 4, phase STABLE"), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1:13306 +UNKNOWN +no +- .*Connection refused.*")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("proxy-1 +127\\.0\\.0\\.1:6033 +5 +3 +2 +0 +yes")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("proxy-2 +127\\.0\\.0\\.1:6034 +no answer")), text);
    assertTrue(text.lines().anyMatch(l -> l.contains("planned") && l.contains("failed: a switchover is already in progress")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches(".*failover +127\\.0\\.0\\.1:13306 +127\\.0\\.0\\.1:13307 +4 +done +- +20 +540 +- +700.*")), text);
  }

  @Test
  void thePageEscapesWhatTheServersSayAndLoadsNothingFromElsewhere() {
    String html = StatusPage.render(status());
    assertTrue(html.contains("Connection refused &lt;&amp;&gt;"), html);
    assertFalse(html.contains("<&>"), html);
    assertTrue(html.contains("data-server=\"127.0.0.1:13307\" data-role=\"PRIMARY\""), html);
    assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"" + StatusPage.REFRESH_SECONDS + "\">"), html);
    assertTrue(html.contains("data-kind=\"failover\"") && html.contains("failed: a switchover is already in progress"), html);
    assertFalse(html.contains("<script") || html.contains("src=") || html.contains("<link"), "self-contained: " + html);
  }

  @Test
  void aSwitchoverReportPrintsEachPhaseWithItsAcknowledgements() {
    JsonObject ack = new JsonObject().put("nodeId", "proxy-1").put("millis", 12).put("sessions", 8).put("inTransaction", 1)
        .put("migrating", 0).put("applied", true);
    JsonObject report = new JsonObject().put("from", "a:1").put("to", "b:2").put("epoch", 3).put("totalMillis", 900)
        .put("longestHoldMillis", 600).put("block", new JsonObject().put("millis", 300).put("acks", new JsonArray().add(ack)))
        .put("promote", new JsonObject().put("millis", 100).put("acks", new JsonArray()));
    String text = StatusText.switchoverReport(report);
    assertTrue(text.startsWith("switchover done: a:1 -> b:2 at epoch 3, 900 ms in all; the longest a client command was"
        + " held: 600 ms"), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("block +300 +1 +proxy-1: 12 ms, 8, 1, 0")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("promote +100 +- +-")), text);
  }
}
