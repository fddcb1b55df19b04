package dev.tether.coordinator;

import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each monitor interval, while nothing else runs: asks the servers again while no primary is
 * decided, and once the topology is stable takes back fenced servers whose history allows it.
 */
final class TopologyRepair {
  private static final Logger log = LoggerFactory.getLogger(TopologyRepair.class);

  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final TopologyStore store;
  private final RunGuard runs;
  private final TopologyMembership membership;
  private long timer = -1;

  TopologyRepair(Vertx vertx, CoordinatorConfig config, TopologyStore store, RunGuard runs,
                 TopologyMembership membership) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.runs = runs;
    this.membership = membership;
  }

  void start() {
    timer = vertx.setPeriodic(config.monitorInterval().toMillis(), id -> repair());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void repair() {
    if (runs.busy()) {
      return;
    }
    store.rediscover()
        .compose(topology -> topology.phase() == Topology.Phase.STABLE ? membership.rejoinDetached()
            : Future.succeededFuture())
        .onFailure(e -> log.debug("topology repair round failed: {}", e.getMessage()));
  }
}
