package dev.tether.coordinator;

import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary that restarted in place comes back read-only, as every server starts. It is made
 * writable again by the coordinator — unless a replica holds transactions the primary no longer
 * has (a crash-safe restart truncates what it had not committed, and a replica may have received
 * it): then that replica takes over by failover, and the old primary rejoins behind it.
 */
final class PrimaryReopen {
  private static final Logger log = LoggerFactory.getLogger(PrimaryReopen.class);

  private final ServerSql servers;
  private final ReplicationFlavor flavor;
  private final RunGuard runs;
  /** The failover run (unrecorded, as a restart in place hands over to the replica that holds more). */
  private final Supplier<Future<JsonObject>> failover;

  PrimaryReopen(ServerSql servers, ReplicationFlavor flavor, RunGuard runs, Supplier<Future<JsonObject>> failover) {
    this.servers = servers;
    this.flavor = flavor;
    this.runs = runs;
    this.failover = failover;
  }

  /** Checks the (reachable) primary of a stable topology once. */
  Future<Void> check(Topology topology) {
    String primary = topology.primary();
    return servers.value(primary, "SELECT @@GLOBAL.read_only").compose(readOnly -> {
      if (!"1".equals(readOnly) || runs.busy() || topology.phase() != Topology.Phase.STABLE) {
        return Future.succeededFuture();
      }
      return servers.value(primary, flavor.readPosition()).compose(position -> aheadOf(topology, position))
          .compose(ahead -> {
            if (!ahead.isEmpty()) {
              log.warn("primary {} came back read-only without transactions {} holds: failing over to it", primary,
                  ahead);
              return failover.get().mapEmpty();
            }
            log.warn("primary {} came back read-only (restarted in place): writable again at epoch {}", primary,
                topology.epoch());
            return servers.run(primary, flavor.promote());
          });
    });
  }

  /** The replicas (reachable ones) that hold transactions beyond {@code primaryPosition}. */
  private Future<List<String>> aheadOf(Topology topology, String primaryPosition) {
    List<Future<String>> checks = new ArrayList<>();
    for (String replica : topology.replicas()) {
      checks.add(servers.value(replica, flavor.readPosition())
          .compose(position -> servers.value(topology.primary(),
              flavor.extraTransactionsQuery(position == null ? "" : position, primaryPosition)))
          .recover(unreachable -> Future.succeededFuture("")));
    }
    return Future.all(checks).map(all -> {
      List<String> ahead = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        String extra = all.resultAt(i);
        if (extra != null && !extra.isEmpty()) {
          ahead.add(topology.replicas().get(i));
        }
      }
      return ahead;
    });
  }
}
