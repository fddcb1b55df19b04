package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.ServerHealth;
import dev.tether.cluster.ServerHealth.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How the monitor reads a server's variables and replica status rows into its health. */
class ServerHealthReadingTest {
  private static final ReplicationFlavor MARIADB = new MariaDbFlavor();

  @Test
  void aLaggingReplicaReportsItsLagAndThatItReplicates() {
    ServerHealth health = ServerMonitor.health("127.0.0.1:13307", "127.0.0.1:13306",
        new JsonObject().put("read_only", 1L).put("position", "0-1-42"),
        new JsonObject().put("Slave_IO_Running", "Yes").put("Slave_SQL_Running", "Yes").put("Seconds_Behind_Master", 7L),
        MARIADB, 1000);
    assertEquals(Role.REPLICA, health.role());
    assertTrue(health.readOnly());
    assertEquals("0-1-42", health.gtidPosition());
    assertTrue(health.replicating());
    assertEquals(7L, health.lagSeconds());
    assertEquals(health, ServerHealth.fromJson(health.toJson()), "as it travels through the shared map");
  }

  @Test
  void aReplicaWhoseSqlThreadStoppedCannotSayItsLag() {
    ServerHealth health = ServerMonitor.health("127.0.0.1:13307", "127.0.0.1:13306",
        new JsonObject().put("read_only", 1).put("position", "0-1-42"),
        new JsonObject().put("Slave_IO_Running", "Yes").put("Slave_SQL_Running", "No").putNull("Seconds_Behind_Master"),
        MARIADB, 1000);
    assertFalse(health.replicating());
    assertNull(health.lagSeconds());
  }

  @Test
  void thePrimaryAndAFencedFormerPrimaryAreToldApart() {
    ServerHealth primary = ServerMonitor.health("127.0.0.1:13306", "127.0.0.1:13306",
        new JsonObject().put("read_only", 0).put("position", "0-1-42"), null, MARIADB, 1000);
    assertEquals(Role.PRIMARY, primary.role());
    assertFalse(primary.readOnly());
    assertNull(primary.replicating());
    ServerHealth fenced = ServerMonitor.health("127.0.0.1:13308", "127.0.0.1:13306",
        new JsonObject().put("read_only", 1).put("position", "0-1-40"), null, MARIADB, 1000);
    assertEquals(Role.DETACHED, fenced.role());
    assertTrue(fenced.readOnly());
  }

  @Test
  void theMySql8FlavorReadsItsOwnColumnNames() {
    ServerHealth health = ServerMonitor.health("db2:3306", "db1:3306",
        new JsonObject().put("read_only", 1).put("position", "uuid:1-42"),
        new JsonObject().put("Replica_IO_Running", "Yes").put("Replica_SQL_Running", "Yes")
            .put("Seconds_Behind_Source", "3"),
        new MySql8Flavor(), 1000);
    assertTrue(health.replicating());
    assertEquals(3L, health.lagSeconds());
  }
}
