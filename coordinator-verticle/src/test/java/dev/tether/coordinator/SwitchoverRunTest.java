package dev.tether.coordinator;

import static dev.tether.coordinator.SwitchoverScene.A;
import static dev.tether.coordinator.SwitchoverScene.B;
import static dev.tether.coordinator.SwitchoverScene.C;
import static dev.tether.coordinator.SwitchoverScene.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import dev.tether.config.SwitchoverMode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A planned switchover and a failover, each one run object with its own clock and report, told as
 * what the servers and the nodes went through. Servers and nodes are fakes; the end-to-end versions
 * run in fleet-tests (CoordinatorSwitchoverTest, FailoverTest).
 */
class SwitchoverRunTest {

  @Test
  void aPlannedSwitchoverWithoutATargetElectsTheMostAppliedReplicaAndReportsEveryPhaseOnItsClock() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.primary(A).position = "0-1-500";
      scene.servers.replicaOf(B, A).position = "0-1-480";
      scene.servers.replicaOf(C, A).position = "0-1-499";
      scene.servers.server(C).catchUpMillis = 300; // C applies A's last transactions
      scene.shared(new Topology(2, A, List.of(B, C), Topology.Phase.STABLE, null));
      scene.fleet.takes(PhaseCommand.Phase.BLOCK, 900).takes(PhaseCommand.Phase.SWITCH, 150)
          .takes(PhaseCommand.Phase.RESTORE, 40).longestHoldMillis = 1100;

      JsonObject report = await(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(null));

      assertEquals(C, report.getString("to"), "the replica that applied the most");
      assertEquals(A, report.getString("from"));
      assertEquals(3, report.getLong("epoch"));
      assertEquals(900, report.getJsonObject("block").getLong("millis"));
      assertEquals(300, report.getJsonObject("promote").getLong("millis"));
      assertEquals(150, report.getJsonObject("switch").getLong("millis"));
      assertEquals(40, report.getJsonObject("restore").getLong("millis"));
      assertEquals(2, report.getJsonObject("restore").getJsonArray("acks").size(), "both nodes acknowledged");
      assertEquals(1100, report.getLong("longestHoldMillis"));
      assertEquals(1390, report.getLong("totalMillis"));
      assertEquals(List.of("BLOCK 3", "SWITCH 3", "RESTORE 3"), scene.fleet.phases());
      assertTrue(scene.servers.server(A).readOnly, "the old primary is fenced");
      assertEquals(1.0, scene.fences(FenceReason.DEMOTED_PRIMARY));
      assertFalse(scene.servers.server(C).readOnly);
      assertEquals(C, scene.servers.server(A).source, "the old primary follows the new one");
      assertEquals(C, scene.servers.server(B).source, "the other replica is re-pointed once clients are released");
      assertEquals(new Topology(3, C, List.of(A, B), Topology.Phase.STABLE, null), scene.shared());
    }
  }

  @Test
  void aPlannedSwitchoverReportsWhereItsPromotionWent() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.primary(A).position = "0-1-500";
      scene.servers.replicaOf(B, A).position = "0-1-480";
      scene.servers.server(B).catchUpMillis = 250;
      scene.shared(new Topology(2, A, List.of(B), Topology.Phase.STABLE, null));

      JsonObject report = await(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(B));

      assertEquals(new JsonObject().put("fence", 0L).put("catchUp", 250L).put("promote", 0L),
          report.getJsonObject("promoteParts"), "the target's catch-up, on the run's clock");
      assertEquals(new JsonObject().put("follow", 0L), report.getJsonObject("switchParts"),
          "the old primary follows alongside SWITCH, not inside PROMOTE");
      assertEquals(250, report.getJsonObject("promote").getLong("millis"));
    }
  }

  @Test
  void aPlannedSwitchoverDrainsByDefaultAndTellsTheNodesToHoldTransactionsForReplayWhenAsked() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.primary(A).position = "0-1-500";
      scene.servers.replicaOf(B, A).position = "0-1-500";
      scene.shared(new Topology(2, A, List.of(B), Topology.Phase.STABLE, null));

      JsonObject drained = await(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(B));
      JsonObject replayed = await(new PlannedSwitchover(scene.steps, scene.election, scene.clock)
          .run(A, SwitchoverMode.REPLAY));

      assertEquals("drain", drained.getString("mode"), "the configured mode");
      assertEquals("replay", replayed.getString("mode"));
      assertEquals(List.of(SwitchoverMode.DRAIN, SwitchoverMode.REPLAY), scene.fleet.sent.stream()
          .filter(c -> c.phase() == PhaseCommand.Phase.BLOCK).map(PhaseCommand::mode).toList());
    }
  }

  @Test
  void aPlannedSwitchoverIsRefusedWithAReasonWhileAnotherIsUnderWayOrForAServerThatIsNoReplica() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.shared(new Topology(2, A, List.of(B), Topology.Phase.SWITCHING, B));
      Throwable busy = SwitchoverScene.failure(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(B));
      assertEquals(SwitchoverFailure.PHASE_IN_PROGRESS, SwitchoverFailure.of(busy));
      assertEquals("a switchover is already in progress (SWITCHING)", busy.getMessage());

      scene.shared(new Topology(2, A, List.of(B), Topology.Phase.STABLE, null));
      Throwable notReplica = SwitchoverScene.failure(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(C));
      assertEquals(SwitchoverFailure.NOT_A_REPLICA, SwitchoverFailure.of(notReplica));
      assertEquals(C + " is not a replica of " + A, notReplica.getMessage());
      assertTrue(scene.fleet.sent.isEmpty(), "no node was blocked for a refused switchover");
    }
  }

  @Test
  void aFailoverElectsTheReplicaThatReceivedTheMostAndDetachesTheDeadPrimary() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.server(A).up = false; // declared dead by agreement
      scene.servers.replicaOf(B, A).received = "0-1-130";
      scene.servers.replicaOf(C, A).received = "0-1-120";
      scene.shared(new Topology(6, A, List.of(B, C), Topology.Phase.STABLE, null));
      scene.fleet.takes(PhaseCommand.Phase.SWITCH, 75);

      JsonObject report = await(new Failover(scene.steps, scene.election, scene.clock).run());

      assertEquals("failover", report.getString("kind"));
      assertEquals(B, report.getString("to"), "the replica that received the most, by the same rule as a planned switchover");
      assertEquals(75, report.getJsonObject("switch").getLong("millis"));
      assertFalse(scene.servers.server(B).readOnly);
      assertEquals(1, scene.servers.server(B).epochRecords.size());
      assertEquals(B, scene.servers.server(C).source, "the other replica follows the new primary");
      assertEquals(List.of("SWITCH 7", "RESTORE 7"), scene.fleet.phases());
      Topology settled = scene.shared();
      assertEquals(7, settled.epoch());
      assertEquals(B, settled.primary());
      assertEquals(List.of(C), settled.replicas());
      assertEquals(Topology.DetachReason.SUPERSEDED_PRIMARY, settled.detached().get(0).reason());
      assertEquals(A, settled.detached().get(0).server());
    }
  }

  @Test
  void everySwitchTheCoordinatorSendsHoldsTheNodesNewWorkUntilItsRestore() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.primary(A).position = "0-1-500";
      scene.servers.replicaOf(B, A).position = "0-1-500";
      scene.shared(new Topology(2, A, List.of(B), Topology.Phase.STABLE, null));
      await(new PlannedSwitchover(scene.steps, scene.election, scene.clock).run(null));
      scene.servers.server(B).up = false;
      scene.servers.replicaOf(A, B).received = "0-1-500";
      await(new Failover(scene.steps, scene.election, scene.clock).run());

      assertEquals(List.of("BLOCK 3", "SWITCH 3", "RESTORE 3", "SWITCH 4", "RESTORE 4"), scene.fleet.phases());
      assertTrue(scene.fleet.sent.stream().filter(c -> c.phase() == PhaseCommand.Phase.SWITCH)
          .allMatch(PhaseCommand::holdsUntilRestore), "carried transactions replay before anything new runs");
    }
  }

  @Test
  void aFailoverWithNoReachableReplicaIsRefusedWithItsReason() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.server(A).up = false;
      scene.servers.server(B).up = false;
      scene.shared(new Topology(6, A, List.of(B), Topology.Phase.STABLE, null));

      Throwable failure = SwitchoverScene.failure(new Failover(scene.steps, scene.election, scene.clock).run());

      assertEquals(SwitchoverFailure.NO_REACHABLE_REPLICA, SwitchoverFailure.of(failure));
      assertEquals("no reachable replica to promote", failure.getMessage());
      assertEquals(Topology.Phase.STABLE, scene.shared().phase(), "nothing was started");
    }
  }
}
