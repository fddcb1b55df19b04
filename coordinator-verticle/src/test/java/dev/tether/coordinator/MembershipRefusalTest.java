package dev.tether.coordinator;

import static dev.tether.coordinator.SwitchoverScene.A;
import static dev.tether.coordinator.SwitchoverScene.B;
import static dev.tether.coordinator.SwitchoverScene.C;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.cluster.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's topology change that cannot be made is refused with a reason, and nothing changes. */
class MembershipRefusalTest {

  private static TopologyMembership membership(SwitchoverScene scene, RunGuard runs) {
    ServerFactsReader facts = new ServerFactsReader(scene.replication);
    return new TopologyMembership(scene.store, runs, new Rejoiner(scene.replication, facts, scene.fencing),
        scene.replication);
  }

  private static Enum<?> reason(io.vertx.core.Future<?> change) {
    return ((Refused) SwitchoverScene.failure(change)).reason;
  }

  @Test
  void eachRefusedChangeSaysWhy() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      Topology stable = new Topology(3, A, List.of(B, C), Topology.Phase.STABLE, null);
      scene.shared(stable);
      TopologyMembership membership = membership(scene, new RunGuard());

      assertEquals(MembershipRefusal.NOT_CONFIGURED, reason(membership.remove("127.0.0.1:9999")));
      assertEquals(MembershipRefusal.NOT_A_REPLICA, reason(membership.remove(A)), "the primary is no replica");
      assertEquals(MembershipRefusal.NOT_DETACHED, reason(membership.rejoin(B)), "B is in the topology");
      assertEquals(MembershipRefusal.WRONG_PHASE, reason(membership.decide(B)), "a primary is decided already");
      assertEquals(stable, scene.shared());
    }
  }

  @Test
  void aChangeWhileASwitchoverRunsIsRefusedAsBusy() {
    try (SwitchoverScene scene = new SwitchoverScene()) {
      scene.shared(new Topology(3, A, List.of(B, C), Topology.Phase.STABLE, null));
      RunGuard runs = new RunGuard();
      runs.exclusively(() -> io.vertx.core.Promise.<Void>promise().future()); // a switchover that has not ended

      assertEquals(SwitchoverFailure.BUSY, reason(membership(scene, runs).remove(C)));
    }
  }
}
