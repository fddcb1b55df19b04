package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import dev.tether.config.TetherConfig;
import dev.tether.coordinator.CoordinatorVerticle;
import dev.tether.coordinator.MariaDbFlavor;
import dev.tether.testkit.Promotion;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A coordinator died in the middle of a switchover: the nodes are blocked and the shared topology
 * says PROMOTING. The coordinator that takes over rolls the switchover back when the target was
 * never promoted, and finishes it when it was: either way no node is left blocked. Shown twice: with
 * the half-done state laid out by the test, and with a real active coordinator killed mid-switchover.
 */
class CoordinatorTakeoverTest {

  @Test
  void aTakingOverCoordinatorRollsBackAnUnpromotedSwitchoverAndFinishesAPromotedOne() throws Exception {
    try (Fleet fleet = new Fleet("takeover", 4)) {
      fleet.startNodes(2);
      Vertx dead = fleet.member(); // plays the coordinator that dies after BLOCK
      String primary = "127.0.0.1:" + fleet.primary.port();
      String replica = "127.0.0.1:" + fleet.replica.port();
      fleet.startClients(4);
      Thread.sleep(300);

      // 1. died before promoting: the next coordinator rolls back and releases the held work
      leaveHalfDone(dead, new Topology(0, primary, List.of(replica), Topology.Phase.PROMOTING, replica));
      long before = fleet.acknowledged.get();
      Thread.sleep(500);
      assertEquals(before, fleet.acknowledged.get(), "clients are held while no coordinator runs");
      TetherConfig config = fleet.config(0, "coordinator");
      Vertx next = fleet.member();
      String deployment = Fleet.await(next.deployVerticle(new CoordinatorVerticle(config, new MariaDbFlavor())));
      awaitTopology(next, Topology.Phase.STABLE, 0);
      Thread.sleep(500);
      assertTrue(fleet.acknowledged.get() > before, "held work released by the rollback");
      for (Connection c : fleet.connections) {
        assertEquals("1", Fleet.scalar(c, "SELECT @@server_id"), "still on the old primary");
      }
      Fleet.await(next.undeploy(deployment));

      // 2. died after promoting: the next coordinator finishes the switchover
      leaveHalfDone(dead, new Topology(0, primary, List.of(replica), Topology.Phase.PROMOTING, replica));
      Promotion.planned(fleet.primary, fleet.replica);
      Fleet.await(next.deployVerticle(new CoordinatorVerticle(config, new MariaDbFlavor())));
      awaitTopology(next, Topology.Phase.STABLE, 1);
      Thread.sleep(500);
      fleet.stopClients();
      assertTrue(fleet.errors.isEmpty(), "client errors: " + fleet.errors);
      for (Connection c : fleet.connections) {
        assertEquals("2", Fleet.scalar(c, "SELECT @@server_id"), "moved to the promoted replica");
      }
      assertEquals(fleet.acknowledged.get() * 3, fleet.committedOn(fleet.replica));
    }
  }

  @Test
  void theActiveCoordinatorKilledMidSwitchoverIsFinishedOrRolledBackByTheStandbyAndNoNodeStaysBlocked()
      throws Exception {
    try (Fleet fleet = new Fleet("midkill", 8)) {
      fleet.startNodes(2);
      Fleet.Coordinators coordinators = fleet.activeAndStandby();
      TetherConfig config = coordinators.config();
      AdminClient admin = coordinators.admin();
      Vertx active = coordinators.active();
      Vertx standby = coordinators.standby();
      fleet.startClients(8);
      Thread.sleep(500);

      Thread request = new Thread(() -> {
        try {
          admin.post("/switchover", new JsonObject());
        } catch (Exception expected) {
          // the coordinator answering it dies
        }
      });
      request.start();
      Topology.Phase killedIn = awaitMidSwitchover(standby);
      Fleet.await(active.close()); // its Hazelcast member leaves: the leader lock is free
      fleet.members.remove(active);
      Topology settled = awaitTopology(standby, Topology.Phase.STABLE, -1);
      request.join(60_000);
      Thread.sleep(1000);
      long beforeStop = fleet.acknowledged.get();
      Thread.sleep(500);
      assertTrue(fleet.acknowledged.get() > beforeStop, "no node left blocked: clients commit");
      fleet.stopClients();

      assertTrue(fleet.errors.isEmpty(), "client errors: " + fleet.errors);
      boolean finished = settled.epoch() == 1;
      var primary = finished ? fleet.replica : fleet.primary;
      String serverId = finished ? "2" : "1";
      for (Connection c : fleet.connections) {
        assertEquals(serverId, Fleet.scalar(c, "SELECT @@server_id"), "every session on the settled primary");
      }
      assertEquals(fleet.acknowledged.get() * 3, fleet.committedOn(primary), "exactly the acknowledged commits");
      assertEquals("127.0.0.1:" + primary.port(), settled.primary());
      System.out.printf("coordinator killed in %s; the standby %s the switchover%n", killedIn,
          finished ? "finished" : "rolled back");
    }
  }

  /** Waits until the shared topology shows a switchover under way, past BLOCK. */
  private static Topology.Phase awaitMidSwitchover(Vertx member) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonObject json = Fleet.await(member.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.get(Addresses.TOPOLOGY_KEY)));
      Topology.Phase phase = json == null ? null : Topology.fromJson(json).phase();
      if (phase == Topology.Phase.PROMOTING || phase == Topology.Phase.SWITCHING) {
        return phase;
      }
      Thread.sleep(2);
    }
    throw new AssertionError("the switchover never got past BLOCK");
  }

  /** What a coordinator leaves behind if it dies after BLOCK: blocked nodes and a half-done topology. */
  private static void leaveHalfDone(Vertx coordinator, Topology topology) throws Exception {
    Fleet.await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
        .compose(map -> map.put(Addresses.TOPOLOGY_KEY, topology.toJson())));
    List<String> nodes = List.copyOf(Fleet.await(coordinator.sharedData()
        .<String, JsonObject>getAsyncMap(Addresses.NODES_MAP).compose(map -> map.keys())));
    for (String node : nodes) {
      Fleet.await(coordinator.eventBus().request(Addresses.proxyControl(node),
          PhaseCommand.block(topology.epoch() + 1, 1000).toJson()));
    }
  }

  /** Waits for {@code phase} at {@code epoch} (any epoch when negative) and returns that topology. */
  private static Topology awaitTopology(Vertx member, Topology.Phase phase, long epoch) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonObject json = Fleet.await(member.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.get(Addresses.TOPOLOGY_KEY)));
      Topology topology = json == null ? null : Topology.fromJson(json);
      if (topology != null && topology.phase() == phase && (epoch < 0 || topology.epoch() == epoch)) {
        return topology;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("topology never reached " + phase + " at epoch " + epoch);
  }
}
