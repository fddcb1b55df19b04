package dev.tether.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.tether.config.ClusterConfig;
import dev.tether.config.ClusterTlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place Hazelcast is configured, for proxies, coordinators and tests alike: TCP-IP join to
 * an explicit member list bound to the configured interface (loopback by default), multicast and
 * auto-detection off, phone-home off. The vertx-hazelcast default cluster.xml is never used: it
 * enables multicast, which sends traffic off the machine.
 */
public final class HazelcastSetup {
  private static final Logger log = LoggerFactory.getLogger(HazelcastSetup.class);

  /**
   * The JVM options Hazelcast asks for (it warns at start without them); the launcher, the
   * Dockerfiles and the tests' surefire argLine pass the same list (ShippedConfigFilesTest checks).
   */
  public static final java.util.List<String> JVM_OPTIONS = java.util.List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private HazelcastSetup() {}

  public static Config hazelcastConfig(ClusterConfig cluster) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }

  /**
   * A clustered Vert.x whose event bus and Hazelcast member both stay on the configured host; the
   * event bus speaks mutual TLS when {@code cluster.tls} is enabled.
   */
  public static Future<Vertx> clusteredVertx(VertxBuilder builder, ClusterConfig cluster, VertxOptions options) {
    options.setEventBusOptions(eventBusOptions(cluster));
    log.info("joining cluster {} on {}:{} (TCP-IP members {}); Hazelcast's CP subsystem stays off: Tether uses"
        + " no CP structure (the leader lock is a map lock; a split brain is fenced by epochs and read_only)",
        cluster.name(), cluster.host(), cluster.port(), cluster.members());
    return builder.with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(cluster)))
        .buildClustered();
  }

  /** Bound to the cluster host only, on a port the system picks; with TLS, peers must present a trusted certificate. */
  public static EventBusOptions eventBusOptions(ClusterConfig cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(0);
    ClusterTlsConfig tls = cluster.tls();
    if (tls.enabled()) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
          .setTrustAll(false) // the event bus default trusts any server
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.trustPath()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  public static Future<Vertx> clusteredVertx(ClusterConfig cluster) {
    return clusteredVertx(Vertx.builder(), cluster, new VertxOptions());
  }
}
