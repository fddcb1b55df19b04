package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active coordinator's watch over the primary: probes it every interval; after enough failed
 * probes in a row asks the proxy nodes and the replicas, and fails over only if they all agree
 * ({@link Agreement}). Also fences any configured server that is writable but not the primary — a
 * failed primary coming back (read_only does not survive a restart) is never writable again — and
 * makes a primary that restarted in place writable again ({@link PrimaryReopen}).
 */
final class FailureDetector {
  private static final Logger log = LoggerFactory.getLogger(FailureDetector.class);

  private final ReplicationControl replication;
  private final CoordinatorConfig config;
  private final TopologyStore store;
  private final PhaseSender fleet;
  private final RunGuard runs;
  /** The recorded failover run. */
  private final Supplier<Future<JsonObject>> failover;
  private final PrimaryReopen reopen;
  private final Fencing fencing;
  private final CoordinatorMetrics metrics;
  private final Clock clock;
  private int failedProbes;
  /** When the first of the current run of failed probes was sent: where detection-to-serving starts. */
  private long firstFailedAt;
  private boolean checking;

  FailureDetector(ReplicationControl replication, TopologyStore store, PhaseSender fleet, RunGuard runs,
                  Supplier<Future<JsonObject>> failover, PrimaryReopen reopen, Fencing fencing,
                  CoordinatorMetrics metrics, Clock clock) {
    this.replication = replication;
    this.config = replication.config();
    this.store = store;
    this.fleet = fleet;
    this.runs = runs;
    this.failover = failover;
    this.reopen = reopen;
    this.fencing = fencing;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One probe of the primary, each {@code coordinator.probeInterval}; skipped while a run or the last probe is busy. */
  void probe() {
    if (checking || runs.busy()) {
      return;
    }
    checking = true;
    long probeTimeout = Math.max(200, config.probeInterval().toMillis() * 2);
    long probedAt = clock.millis();
    store.topology()
        .compose(topology -> topology.phase() == Topology.Phase.UNDECIDED ? Future.succeededFuture()
            : replication.servers().answers(topology.primary(), probeTimeout)
            .compose(reached -> {
              metrics.epoch(topology.epoch());
              metrics.probe(reached);
              firstFailedAt = reached || failedProbes == 0 ? probedAt : firstFailedAt;
              failedProbes = reached ? 0 : failedProbes + 1;
              if (failedProbes < config.suspectAfter()) {
                return reached ? reopen.check(topology).compose(done -> fenceStrays(topology)) : fenceStrays(topology);
              }
              return agree(topology).compose(dead -> {
                if (!dead) {
                  log.info("primary {} unreachable from here, but others still see it: no failover", topology.primary());
                  return Future.succeededFuture();
                }
                failedProbes = 0;
                long detectedAt = firstFailedAt;
                return failover.get().onSuccess(report -> {
                  metrics.detectionToServing(java.time.Duration.ofMillis(clock.millis() - detectedAt));
                  log.warn("failover done: {}", report.encode());
                }).mapEmpty();
              });
            }))
        .onFailure(e -> log.warn("failure detection round failed: {}", e.getMessage()))
        .onComplete(done -> checking = false);
  }

  private Future<Boolean> agree(Topology topology) {
    Future<List<PhaseAck>> proxies = fleet.send(PhaseCommand.status());
    List<Future<Agreement.ReplicaView>> replicas = new ArrayList<>();
    for (String replica : topology.replicas()) {
      replicas.add(replication.replicaStatus(replica)
          .map(status -> new Agreement.ReplicaView(replica,
              status != null && "Yes".equals(status.getString(replication.flavor().ioRunningColumn()))))
          .recover(unreachable -> Future.succeededFuture(new Agreement.ReplicaView(replica, null))));
    }
    return proxies.compose(acks -> Future.all(replicas).map(all -> {
      List<Boolean> proxyViews = acks.stream().map(PhaseAck::reachesPrimary).toList();
      List<Agreement.ReplicaView> replicaViews = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        replicaViews.add(all.resultAt(i));
      }
      boolean dead = Agreement.primaryDead(false, proxyViews, replicaViews);
      log.info("primary {} suspected: proxies {} replicas {} -> {}", topology.primary(), proxyViews, replicaViews,
          dead ? "dead" : "alive");
      return dead;
    }));
  }

  /** Makes read-only any configured server that is writable but is not the primary. */
  private Future<Void> fenceStrays(Topology topology) {
    List<Future<Void>> checks = new ArrayList<>();
    for (String server : config.servers()) {
      if (server.equals(topology.primary())) {
        continue;
      }
      checks.add(replication.servers().value(server, "SELECT @@read_only")
          .compose(readOnly -> {
            if (!"0".equals(readOnly)) {
              return Future.succeededFuture();
            }
            log.warn("fencing {}: writable but not the primary {} (epoch {})", server, topology.primary(),
                topology.epoch());
            return fencing.fence(server, FenceReason.WRITABLE_NOT_PRIMARY);
          })
          .recover(unreachable -> Future.succeededFuture()));
    }
    return Future.join(checks).mapEmpty();
  }
}
