package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.coordinator.Agreement.ReplicaView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure detection by agreement, scenario by scenario. */
class AgreementTest {
  private static final ReplicaView LOST = new ReplicaView("r1", false);
  private static final ReplicaView STREAMING = new ReplicaView("r1", true);
  private static final ReplicaView UNREACHABLE = new ReplicaView("r1", null);

  @Test
  void aPrimaryEveryoneLostIsDead() {
    assertTrue(Agreement.primaryDead(false, List.of(false, false), List.of(LOST, new ReplicaView("r2", false))));
  }

  @Test
  void aCoordinatorThatReachesNoDatabaseServerDeclaresNothingDead() {
    // its probes fail, the proxies (cut off from the coordinator's view) say nothing, no replica answers
    assertFalse(Agreement.primaryDead(false, List.of(), List.of(UNREACHABLE, new ReplicaView("r2", null))));
  }

  @Test
  void aPrimaryThatAProxyStillReachesIsNotDead() {
    assertFalse(Agreement.primaryDead(false, List.of(false, true), List.of(LOST)));
  }

  @Test
  void aPrimaryThatAReplicaStillStreamsFromIsNotDead() {
    assertFalse(Agreement.primaryDead(false, List.of(false), List.of(LOST, STREAMING)));
  }

  @Test
  void aPrimaryTheCoordinatorReachesIsNeverDead() {
    assertFalse(Agreement.primaryDead(true, List.of(false), List.of(LOST)));
  }
}
