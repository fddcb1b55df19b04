package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replication SQL the coordinator speaks, read from the servers at start: the first configured
 * server that answers says its version; MariaDB's contains "MariaDB", anything else is MySQL 8.
 * When none answers, MariaDB (the local fleet's) is assumed and said so.
 */
final class FlavorDetection {
  private static final Logger log = LoggerFactory.getLogger(FlavorDetection.class);

  private FlavorDetection() {}

  static Future<ReplicationFlavor> detect(Vertx vertx, CoordinatorConfig config) {
    ServerControl servers = new ServerControl(vertx, config, () -> false);
    Future<ReplicationFlavor> chain = Future.failedFuture("no server configured");
    for (String server : config.servers()) {
      chain = chain.recover(notYet -> servers.value(server, "SELECT VERSION()").map(version -> {
        ReplicationFlavor flavor = version != null && version.contains("MariaDB") ? new MariaDbFlavor() : new MySql8Flavor();
        log.info("{} runs {}: using the {} replication SQL", server, version, flavor.getClass().getSimpleName());
        return flavor;
      }));
    }
    return chain.recover(none -> {
      log.info("no configured server answered ({}): assuming MariaDB", none.getMessage());
      return Future.succeededFuture(new MariaDbFlavor());
    });
  }
}
