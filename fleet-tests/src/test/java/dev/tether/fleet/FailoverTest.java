package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import dev.tether.config.TetherConfig;
import dev.tether.coordinator.CoordinatorVerticle;
import dev.tether.coordinator.MariaDbFlavor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Unplanned failover: the primary is killed (SIGKILL) under load, with semi-synchronous
 * replication. The coordinator detects it by agreement, promotes the replica and switches the
 * nodes; every client connection survives, clients see at most the documented errors, their
 * retries succeed on the same connection, and every acknowledged commit is on the new primary. And
 * the converse: a coordinator that reaches no database at all, while the proxies and the replica
 * still see the primary, declares nothing dead.
 */
class FailoverTest {
  private static final int CLIENTS = 16;

  @Test
  void killedPrimaryIsReplacedAndEveryConnectionAndAcknowledgedCommitSurvives() throws Exception {
    try (Fleet fleet = new Fleet("failover", CLIENTS, true)) {
      fleet.startNodes(2);
      TetherConfig config = fleet.config(0, "coordinator");
      Vertx coordinator = fleet.coordinator(config);
      fleet.startTolerantClients(CLIENTS);
      Thread.sleep(1500);

      System.out.println(java.time.LocalTime.now() + " killing the primary");
      long killed = System.nanoTime();
      fleet.primary.kill();
      awaitEpoch(coordinator, 1);
      long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      Thread.sleep(2000);
      fleet.stopClients();

      assertTrue(fleet.errors.isEmpty(), "undocumented client errors: " + fleet.errors);
      for (Connection c : fleet.connections) {
        assertTrue(c.isValid(5), "a client connection did not survive");
        assertEquals("2", Fleet.scalar(c, "SELECT @@server_id"), "on the new primary");
      }
      long committed = fleet.committedOn(fleet.replica) / 3;
      assertTrue(committed >= fleet.acknowledged.get()
              && committed <= fleet.acknowledged.get() + fleet.unknown.get(),
          "committed " + committed + ", acknowledged " + fleet.acknowledged.get() + ", unknown " + fleet.unknown.get());
      System.out.printf("failover: kill to switched in %d ms; %d commits acknowledged, %d transactions lost and"
          + " retried, %d outcomes unknown%n", failoverMillis, fleet.acknowledged.get(), fleet.lost.get(),
          fleet.unknown.get());
    }
  }

  @Test
  void aCoordinatorThatReachesNoDatabaseDeclaresNothingDeadWhileProxiesAndReplicasSeeThePrimary() throws Exception {
    try (Fleet fleet = new Fleet("blind", 4)) {
      fleet.startNodes(2);
      TetherConfig base = fleet.config(0, "coordinator");
      CoordinatorConfig c = base.coordinator();
      // every control connection of this coordinator fails: to it, no database answers
      CoordinatorConfig blind = new CoordinatorConfig(c.adminPort(), c.token(), c.servers(), c.adminUser(),
          "not-the-test-password", c.replicationUser(), c.replicationPassword(), c.blockWindow(), c.phaseTimeout(),
          java.time.Duration.ofMillis(100), 3, c.monitorInterval());
      Vertx coordinator = fleet.member();
      String primary = "127.0.0.1:" + fleet.primary.port();
      Fleet.await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.put(Addresses.TOPOLOGY_KEY, new Topology(0, primary,
              java.util.List.of("127.0.0.1:" + fleet.replica.port()), Topology.Phase.STABLE, null).toJson())));
      Fleet.await(coordinator.deployVerticle(new CoordinatorVerticle(new TetherConfig(base.proxy(), base.backend(),
          base.session(), base.cluster(), blind, base.users()), new MariaDbFlavor())));
      new AdminClient(c.adminPort(), c.token()).awaitActive();
      fleet.startClients(4);

      Thread.sleep(4000); // forty probes, each failing: suspicion many times over
      long before = fleet.acknowledged.get();
      Thread.sleep(500);
      fleet.stopClients();
      JsonObject json = Fleet.await(coordinator.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.get(Addresses.TOPOLOGY_KEY)));
      Topology topology = Topology.fromJson(json);
      assertEquals(0, topology.epoch(), "no failover");
      assertEquals(primary, topology.primary());
      assertEquals(Topology.Phase.STABLE, topology.phase());
      assertTrue(fleet.errors.isEmpty(), "client errors: " + fleet.errors);
      assertTrue(fleet.acknowledged.get() > before, "clients kept committing on the primary");
      assertEquals("0", Fleet.scalar(Fleet.admin(fleet.primary), "SELECT @@read_only"), "the primary was never fenced");
    }
  }

  private static void awaitEpoch(Vertx member, long epoch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject json = Fleet.await(member.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
          .compose(map -> map.get(Addresses.TOPOLOGY_KEY)));
      if (json != null) {
        Topology topology = Topology.fromJson(json);
        if (topology.epoch() >= epoch && topology.phase() == Topology.Phase.STABLE) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no failover within 30 s");
  }
}
