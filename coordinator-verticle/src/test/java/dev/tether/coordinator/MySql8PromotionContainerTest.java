package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.config.TetherConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.tether.testkit.DockerEngine;
import org.testcontainers.containers.Network;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The MySQL 8 flavor's SQL run for real against two MySQL 8 servers (Testcontainers) with GTID
 * replication: fence the primary, wait for the replica to apply its position, promote the replica,
 * and make the old primary replicate from it. Needs a Docker engine; skipped without one.
 */
class MySql8PromotionContainerTest {
  private static final String ROOT_PASSWORD = "tether-test-root"; // test credential of throwaway containers

  @Test
  void aReplicaIsPromotedAndTheOldPrimaryFollowsItWithTheMySql8Flavor() throws Exception {
    DockerEngine.assumeAvailable("the MySQL 8 promotion test");
    ReplicationFlavor flavor = new MySql8Flavor();
    try (Network network = Network.newNetwork();
         MySQLContainer first = server(network, "db1", 1);
         MySQLContainer second = server(network, "db2", 2)) {
      first.start();
      second.start();
      Vertx vertx = Vertx.vertx();
      try {
        String db1 = first.getHost() + ":" + first.getMappedPort(3306);
        String db2 = second.getHost() + ":" + second.getMappedPort(3306);
        ServerControl servers = new ServerControl(vertx, TetherConfig.fromJson(new JsonObject().put("coordinator",
            new JsonObject().put("adminUser", "root").put("adminPassword", ROOT_PASSWORD))).coordinator(), () -> true);
        await(servers.run(db2, flavor.replicateFrom("db1", 3306, "root", ROOT_PASSWORD, false)));
        await(servers.run(db1, List.of("CREATE TABLE tether.t (id INT PRIMARY KEY)", "INSERT INTO tether.t VALUES (1)")));

        await(servers.run(db1, flavor.fence()));
        String position = await(servers.value(db1, flavor.readPosition()));
        assertEquals("0", await(servers.value(db2, flavor.waitFor(position, 30))), "the replica applied everything");
        await(servers.run(db2, flavor.promote()));
        await(servers.run(db1, flavor.replicateFrom("db2", 3306, "root", ROOT_PASSWORD, true)));
        await(servers.run(db2, List.of("INSERT INTO tether.t VALUES (2)")));
        String promoted = await(servers.value(db2, flavor.readPosition()));
        assertEquals("0", await(servers.value(db1, flavor.waitFor(promoted, 30))), "the old primary follows");
        assertEquals("2", await(servers.value(db1, "SELECT COUNT(*) FROM tether.t")));
        assertEquals("1", await(servers.value(db1, "SELECT @@GLOBAL.super_read_only")), "the old primary stays fenced");
        assertEquals("0", await(servers.value(db2, "SELECT @@GLOBAL.read_only")), "the new primary takes writes");
        JsonObject status = await(servers.row(db1, flavor.replicaStatus(), 10_000));
        assertEquals("Yes", status.getString(flavor.ioRunningColumn()));
        assertEquals("Yes", status.getString(flavor.sqlRunningColumn()));
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static MySQLContainer server(Network network, String alias, int serverId) {
    return new MySQLContainer("mysql:8.0").withNetwork(network).withNetworkAliases(alias)
        .withDatabaseName("tether").withUsername("app").withPassword("app-test").withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD)
        .withCommand("--server-id=" + serverId, "--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-bin=binlog");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
