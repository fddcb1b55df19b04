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
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A standby coordinator takes the leader lock while the switchover its predecessor ran is half
 * done, and finishes it or rolls it back. Each test tells one way the predecessor died; the servers
 * and nodes are fakes, the topology store and the run are the real ones (the end-to-end versions run
 * in fleet-tests' CoordinatorTakeoverTest).
 */
class TakeoverTest {

  @Test
  void diedBeforePromoting_theTargetFollowsTheOldPrimaryAgainAndTheHeldWorkIsReleased() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      // A was primary at epoch 4; the dead coordinator blocked the nodes, fenced A, and had stopped and
      // reset B's replication when it died: B is read-only and replicates from nobody
      scene.servers.server(A);
      scene.servers.server(B);
      scene.servers.replicaOf(C, A);
      scene.shared(new Topology(4, A, List.of(B, C), Topology.Phase.PROMOTING, B));

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("ROLL_BACK", report.getString("action"));
      assertEquals("PROMOTING", report.getString("resumed"));
      assertEquals(A, scene.servers.server(B).source, "B follows A again");
      assertFalse(scene.servers.server(A).readOnly, "A takes writes again");
      assertEquals(List.of("RESTORE 5"), scene.fleet.phases(), "the nodes release what they held, at the epoch they blocked");
      Topology settled = scene.shared();
      assertEquals(new Topology(4, A, List.of(B, C), Topology.Phase.STABLE, null), settled, "nothing changed but the phase");
      assertFalse(scene.touched(C), "the other replica was never moved");
    }
  }

  @Test
  void diedBeforePromotingWhileTheTargetStillReplicated_theTargetIsNotReplicatedTwice() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      // the predecessor died right after BLOCK: B still streams from A
      scene.servers.server(A);
      scene.servers.replicaOf(B, A);
      scene.shared(new Topology(4, A, List.of(B), Topology.Phase.BLOCKING, B));

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("ROLL_BACK", report.getString("action"));
      assertFalse(scene.touched(B), "a replica that replicates is left alone: re-pointing could apply transactions twice");
      assertEquals(List.of("SET GLOBAL read_only = OFF"), scene.servers.server(A).ran);
      assertEquals(Topology.Phase.STABLE, scene.shared().phase());
    }
  }

  @Test
  void diedAfterPromoting_theEpochIsRecordedTheOldPrimaryFollowsAndEveryNodeSwitches() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      // B was promoted (writable, replicating from nobody) but the predecessor died before A followed it
      scene.servers.server(A);
      scene.servers.primary(B);
      scene.servers.replicaOf(C, A);
      scene.shared(new Topology(4, A, List.of(B, C), Topology.Phase.PROMOTING, B));
      scene.fleet.takes(PhaseCommand.Phase.SWITCH, 180).takes(PhaseCommand.Phase.RESTORE, 20).longestHoldMillis = 640;

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("COMPLETE_PROMOTION", report.getString("action"));
      assertEquals(1, scene.servers.server(B).epochRecords.size(), "epoch 5 recorded on B before any node moves");
      assertTrue(scene.servers.server(B).epochRecords.get(0).contains("(5, '" + B + "'"));
      assertEquals(B, scene.servers.server(A).source, "A, demoted, follows B");
      assertTrue(scene.servers.server(A).ran.contains("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"),
          "a demoted primary continues after what it has");
      assertEquals(List.of("SWITCH 5", "RESTORE 5"), scene.fleet.phases());
      assertEquals(180, report.getJsonObject("switch").getLong("millis"), "timed on the run's clock");
      assertEquals(20, report.getJsonObject("restore").getLong("millis"));
      assertEquals(640, report.getLong("longestHoldMillis"));
      assertEquals(200, report.getLong("totalMillis"));
      Topology settled = scene.shared();
      assertEquals(new Topology(5, B, List.of(A, C), Topology.Phase.STABLE, null), settled);
    }
  }

  @Test
  void diedWhileSwitching_theNodesAreSwitchedAgainAtTheSameEpochAndTheOldPrimaryIsLeftAlone() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      // the topology already names B the primary of epoch 5: promotion and re-pointing were done
      scene.servers.replicaOf(A, B);
      scene.servers.primary(B);
      scene.shared(new Topology(5, B, List.of(A), Topology.Phase.SWITCHING, B));

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("FINISH_SWITCH", report.getString("action"));
      assertEquals(List.of("SWITCH 5", "RESTORE 5"), scene.fleet.phases(), "no epoch skipped, none repeated");
      assertFalse(scene.touched(A));
      assertEquals(1, scene.servers.server(B).epochRecords.size(), "the record is written again (idempotent)");
      assertEquals(new Topology(5, B, List.of(A), Topology.Phase.STABLE, null), scene.shared());
    }
  }

  @Test
  void diedWhileSwitchingBeforeTheOldPrimaryFollowed_itFollowsTheNewPrimaryAfterTheSwitch() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      // B was promoted and named primary; A, fenced, was to follow it alongside SWITCH and does not yet
      scene.servers.server(A).readOnly = true;
      scene.servers.primary(B);
      scene.servers.replicaOf(C, A);
      scene.shared(new Topology(5, B, List.of(A, C), Topology.Phase.SWITCHING, B));

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("FINISH_SWITCH", report.getString("action"));
      assertEquals(List.of("SWITCH 5", "RESTORE 5"), scene.fleet.phases());
      assertEquals(B, scene.servers.server(A).source, "the old primary follows the new one");
      assertTrue(scene.servers.server(A).ran.contains("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"),
          "after what its own binlog holds");
      assertEquals(A, scene.servers.server(C).source, "a replica that replicates is left as it is");
      assertEquals(new Topology(5, B, List.of(A, C), Topology.Phase.STABLE, null), scene.shared());
    }
  }

  @Test
  void aStableTopologyLeavesNothingToResume_noServerIsAskedAndNoNodeHearsAnything() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.shared(new Topology(7, A, List.of(B, C), Topology.Phase.STABLE, null));

      JsonObject report = await(new Takeover(scene.steps, scene.clock).run());

      assertEquals("NOTHING", report.getString("action"));
      assertTrue(scene.fleet.sent.isEmpty());
      assertFalse(scene.touched(A) || scene.touched(B) || scene.touched(C));
    }
  }

  @Test
  void anUndecidedTopologyHasNoSwitchoverToResume() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.shared(Topology.undecided(3, List.of(), "SEVERAL_CANDIDATES: ..."));

      assertEquals("NOTHING", await(new Takeover(scene.steps, scene.clock).run()).getString("action"));
      assertTrue(scene.fleet.sent.isEmpty());
    }
  }

  @Test
  void aTakeoverThatLosesTheLeaderLockLeavesTheHalfDoneTopologyForTheNextCoordinator() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.servers.server(A);
      scene.servers.server(B);
      Topology halfDone = new Topology(4, A, List.of(B), Topology.Phase.PROMOTING, B);
      scene.shared(halfDone);
      scene.leadership.abdicate(); // this coordinator is stopping

      Throwable failure = SwitchoverScene.failure(new Takeover(scene.steps, scene.clock).run());

      assertEquals(SwitchoverFailure.NOT_LEADING, SwitchoverFailure.of(failure));
      assertEquals(halfDone, scene.shared(), "whoever leads next finds it as it was and resumes it");
    }
  }
}
