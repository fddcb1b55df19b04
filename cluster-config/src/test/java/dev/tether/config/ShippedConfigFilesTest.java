package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.tether.cluster.HazelcastSetup;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every configuration file the repository ships loads, and none can turn multicast or phone-home on. */
class ShippedConfigFilesTest {
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theLocalConfigurationBindsToLoopback() throws Exception {
    TetherConfig config = load("cluster-config/tether.yaml");
    assertEquals("127.0.0.1", config.proxy().host());
    assertEquals("127.0.0.1", config.cluster().host());
    assertNoMulticastNoPhoneHome(config);
  }

  @Test
  void theComposeConfigurationJoinsItsMembersByTcpIp() throws Exception {
    TetherConfig config = load("docker/tether-docker.yaml");
    assertTrue(config.cluster().enabled());
    assertEquals(5, config.cluster().members().size());
    assertEquals("172.28.0.10", config.backend().host());
    assertNoMulticastNoPhoneHome(config);
  }

  private static void assertNoMulticastNoPhoneHome(TetherConfig config) {
    Config hazelcast = HazelcastSetup.hazelcastConfig(config.cluster());
    assertFalse(hazelcast.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertTrue(hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals("false", hazelcast.getProperty("hazelcast.phone.home.enabled"));
  }

  private static TetherConfig load(String relative) throws Exception {
    Path path = Path.of("..").resolve(relative).normalize();
    assertTrue(Files.isRegularFile(path), path + " is shipped");
    return ConfigLoader.load(vertx, path.toString(), Map.of()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
