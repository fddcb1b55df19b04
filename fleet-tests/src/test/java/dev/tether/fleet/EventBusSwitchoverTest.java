package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import dev.tether.testkit.Promotion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proxies' side of the protocol on its own: a bare cluster member plays the coordinator, finds
 * the nodes in the shared map and sends BLOCK → SWITCH → RESTORE over the clustered event bus, then
 * repeats an epoch, which every node must ignore. The second node has no users of its own: its
 * clients log in with the users the fleet shares through Hazelcast. Last, a newer epoch appears only
 * in the shared topology, as if its SWITCH were lost: the nodes follow it by themselves.
 */
class EventBusSwitchoverTest {

  @Test
  void nodesFollowPhaseCommandsOverTheEventBusAndIgnoreAStaleEpoch() throws Exception {
    try (Fleet fleet = new Fleet("bus", 8)) {
      fleet.startNodes(1);
      fleet.startNodeWithoutUsers(); // authenticates "app" only through the shared user map
      Vertx coordinator = fleet.member();
      List<String> nodeIds = Fleet.await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP)
          .compose(map -> map.keys())).stream().sorted().toList();
      assertEquals(List.of("node-0", "node-1"), nodeIds);
      fleet.startClients(8);
      Thread.sleep(500);
      List<PhaseAck> blocked = phase(coordinator, nodeIds, PhaseCommand.block(1, 2000));
      Promotion.planned(fleet.primary, fleet.replica);
      List<PhaseAck> switched = phase(coordinator, nodeIds, PhaseCommand.switchTo(1, "127.0.0.1", fleet.replica.port()));
      phase(coordinator, nodeIds, PhaseCommand.restore(1));
      List<PhaseAck> stale = phase(coordinator, nodeIds, PhaseCommand.switchTo(1, "127.0.0.1", fleet.primary.port()));
      Thread.sleep(500);
      fleet.stopClients();
      assertTrue(fleet.errors.isEmpty(), "client errors: " + fleet.errors);
      blocked.forEach(ack -> assertEquals(ack.sessions(), ack.quiescent(), ack.toString()));
      switched.forEach(ack -> assertTrue(ack.applied() && ack.migrating() == 0, ack.toString()));
      stale.forEach(ack -> assertFalse(ack.applied(), "stale epoch ignored: " + ack));
      for (Connection c : fleet.connections) {
        assertEquals("2", Fleet.scalar(c, "SELECT @@server_id"));
      }
      assertEquals(fleet.acknowledged.get() * 3, fleet.committedOn(fleet.replica));

      // a SWITCH that never arrives: the nodes follow the shared topology by themselves
      Promotion.planned(fleet.replica, fleet.primary);
      Topology back = new Topology(2, "127.0.0.1:" + fleet.primary.port(), List.of("127.0.0.1:" + fleet.replica.port()),
          Topology.Phase.STABLE, null);
      Fleet.await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.put(Addresses.TOPOLOGY_KEY, back.toJson())));
      long deadline = System.nanoTime() + 15_000_000_000L;
      for (Connection c : fleet.connections) {
        while (!"1".equals(Fleet.scalar(c, "SELECT @@server_id")) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertEquals("1", Fleet.scalar(c, "SELECT @@server_id"), "followed epoch 2 without its SWITCH");
      }
    }
  }

  private static List<PhaseAck> phase(Vertx coordinator, List<String> nodeIds, PhaseCommand command) throws Exception {
    List<PhaseAck> acks = new ArrayList<>();
    for (String nodeId : nodeIds) {
      Future<PhaseAck> ack = coordinator.eventBus().<JsonObject>request(Addresses.proxyControl(nodeId), command.toJson())
          .map(reply -> PhaseAck.fromJson(reply.body()));
      acks.add(Fleet.await(ack));
    }
    return acks;
  }

}
