package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.ClusterConfig;
import dev.tether.config.ClusterTlsConfig;
import dev.tether.config.TetherConfig;
import dev.tether.coordinator.CoordinatorVerticle;
import dev.tether.coordinator.MariaDbFlavor;
import dev.tether.proxy.ProxyNode;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/**
 * A fleet whose clustered event bus speaks mutual TLS still works: the coordinator counts the
 * node's sessions and runs a planned switchover (BLOCK, SWITCH, RESTORE all travel over TLS), and
 * the client connected through the node carries on, on the new primary.
 */
class TlsEventBusFleetTest {
  @Test
  void aPlannedSwitchoverRunsOverATlsEventBus() throws Exception {
    try (Fleet fleet = new Fleet("ebtls", 1)) {
      SelfSignedCertificate certificate = SelfSignedCertificate.create("tether-cluster");
      ClusterConfig plain = fleet.cluster;
      ClusterTlsConfig tls = new ClusterTlsConfig(true, certificate.certificatePath(), certificate.privateKeyPath(), null);
      int proxyPort = TestDatabase.freePort();
      TetherConfig node = withTls(fleet.config(proxyPort, "node-0"), plain, tls, "node-0");
      TetherConfig coordinator = withTls(fleet.config(0, "coordinator"), plain, tls, "coordinator");
      Vertx nodeMember = Fleet.await(HazelcastSetup.clusteredVertx(node.cluster()));
      fleet.members.add(nodeMember);
      fleet.nodes.add(Fleet.await(ProxyNode.start(nodeMember, node)));
      fleet.proxyPorts.add(proxyPort);
      Vertx coordinatorMember = Fleet.await(HazelcastSetup.clusteredVertx(coordinator.cluster()));
      fleet.members.add(coordinatorMember);
      Fleet.await(coordinatorMember.deployVerticle(new CoordinatorVerticle(coordinator, new MariaDbFlavor())));
      AdminClient admin = new AdminClient(coordinator.coordinator().adminPort(), coordinator.coordinator().token());
      admin.awaitActive();

      try (Connection client = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxyPort
          + "/tether?user=app&password=app&sslMode=disable")) {
        assertEquals("1", Fleet.scalar(client, "SELECT @@server_id"));
        JsonObject sessions = awaitSessions(admin);
        assertEquals(1, sessions.getInteger("sessions"), sessions.encode());
        JsonObject report = admin.post("/switchover", new JsonObject());
        assertEquals(1, report.getLong("epoch"), report.encode());
        assertEquals("2", Fleet.scalar(client, "SELECT @@server_id"), "the client is on the new primary");
        assertTrue(client.isValid(5));
      }
    }
  }

  private static TetherConfig withTls(TetherConfig base, ClusterConfig plain, ClusterTlsConfig tls, String nodeId) {
    return new TetherConfig(base.proxy(), base.backend(), base.session(),
        new ClusterConfig(true, plain.name(), plain.host(), plain.port(), plain.members(), nodeId, tls),
        base.coordinator(), base.users());
  }

  /** The node's registration reaches the coordinator asynchronously. */
  private static JsonObject awaitSessions(AdminClient admin) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    JsonObject sessions = admin.get("/sessions");
    while (sessions.getInteger("sessions", 0) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(300);
      sessions = admin.get("/sessions");
    }
    return sessions;
  }
}
