package dev.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.config.ClusterConfig;
import dev.tether.config.ClusterTlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's network: Hazelcast and the event bus listen on the configured address only (a
 * connection to another loopback address is refused), and with cluster TLS on, members holding
 * the shared certificate talk while a member without it cannot reach them over the event bus.
 */
class ClusterNetworkTest {
  private final List<Vertx> members = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Vertx vertx : members) {
      await(vertx.close().recover(e -> Future.succeededFuture()));
    }
  }

  @Test
  void hazelcastAndTheEventBusListenOnTheConfiguredAddressOnly() throws Exception {
    Vertx member = member(cluster("bind", freePort(), ClusterTlsConfig.off()));
    for (int port : List.of(hazelcastPort(member), eventBusPort(member))) {
      connect("127.0.0.1", port);
      assertThrows(IOException.class, () -> connect("127.0.0.2", port), "port " + port + " answers on 127.0.0.2");
    }
  }

  @Test
  void membersWithTheSharedCertificateTalkOverTlsAndAMemberWithoutItCannot() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("tether-cluster");
    ClusterTlsConfig tls = new ClusterTlsConfig(true, certificate.certificatePath(), certificate.privateKeyPath(), null);
    int port = freePort();
    Vertx a = member(cluster("tls", port, tls));
    Vertx b = member(cluster("tls", port, tls));
    a.eventBus().<String>consumer("test.echo.a", message -> message.reply("echo " + message.body()));
    b.eventBus().<String>consumer("test.echo.b", message -> message.reply("echo " + message.body()));
    assertEquals("echo over tls", requestWithin(b, "test.echo.a", 30));
    assertEquals("echo over tls", requestWithin(a, "test.echo.b", 30), "and the other way round");

    Vertx intruder = member(cluster("tls", port, ClusterTlsConfig.off()));
    assertThrows(AssertionError.class, () -> requestWithin(intruder, "test.echo.a", 10), "a member without the certificate is not answered");
  }

  /** Asks {@code address} until a reply comes (registrations and event-bus connections are set up asynchronously). */
  private static String requestWithin(Vertx from, String address, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    DeliveryOptions bounded = new DeliveryOptions().setSendTimeout(2000);
    while (System.nanoTime() < deadline) {
      try {
        return await(from.eventBus().<String>request(address, "over tls", bounded)).body();
      } catch (ExecutionException notYet) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("no reply within " + seconds + " s");
  }

  private Vertx member(ClusterConfig cluster) throws Exception {
    Vertx vertx = await(HazelcastSetup.clusteredVertx(cluster));
    members.add(vertx);
    return vertx;
  }

  private static ClusterConfig cluster(String name, int port, ClusterTlsConfig tls) {
    return new ClusterConfig(true, "tether-net-" + name + "-" + ProcessHandle.current().pid(), "127.0.0.1", port,
        List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1), "127.0.0.1:" + (port + 2)), "test", tls);
  }

  private static int hazelcastPort(Vertx vertx) {
    HazelcastClusterManager manager = (HazelcastClusterManager) ((VertxInternal) vertx).clusterManager();
    return manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
  }

  private static int eventBusPort(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodeInfo().port();
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
