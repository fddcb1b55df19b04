package dev.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's acknowledgement carries how many open transactions it could replay now, and why not the others. */
class PhaseAckReplayabilityTest {

  @Test
  void replayableCountsAndReasonsRoundTripThroughJson() {
    PhaseAck ack = new PhaseAck("proxy-6033", PhaseCommand.Phase.STATUS, 3, true, 10, 4, 6, 0, 0, true, 0, 4,
        Map.of("non_deterministic", 1, "too_large", 1));
    JsonObject json = ack.toJson();
    assertEquals(4, json.getInteger("replayable"));
    assertEquals(new JsonObject().put("non_deterministic", 1).put("too_large", 1), json.getJsonObject("notReplayable"));
    assertEquals(ack, PhaseAck.fromJson(json));
  }

  @Test
  void anAcknowledgementFromANodeThatDoesNotReportReplayabilityReadsAsNone() {
    JsonObject older = new PhaseAck("n", PhaseCommand.Phase.STATUS, 1, true, 2, 2, 0, 0, 0, true, 0).toJson();
    older.remove("replayable");
    older.remove("notReplayable");
    PhaseAck read = PhaseAck.fromJson(older);
    assertEquals(0, read.replayable());
    assertEquals(Map.of(), read.notReplayable());
  }
}
