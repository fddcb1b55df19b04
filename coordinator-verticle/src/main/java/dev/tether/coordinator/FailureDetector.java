package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active coordinator's watch over the primary: probes it every interval; after enough failed
 * probes in a row asks the proxy nodes and the replicas, and fails over only if they all agree
 * ({@link Agreement}). Also fences any configured server that is writable but not the primary — a
 * failed primary coming back (read_only does not survive a restart) is never writable again — and,
 * each monitor interval, takes back fenced servers whose history allows it, or asks the servers
 * again while no primary is decided.
 */
final class FailureDetector {
  private static final Logger log = LoggerFactory.getLogger(FailureDetector.class);

  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final ReplicationFlavor flavor;
  private final SwitchoverOrchestrator orchestrator;
  private final PrimaryReopen reopen;
  private final SwitchoverRecorder recorder;
  private final CoordinatorMetrics metrics;
  private int failedProbes;
  /** When the first of the current run of failed probes was sent: where detection-to-serving starts. */
  private long firstFailedAt;
  private boolean checking;
  private long timer = -1;
  private long repairTimer = -1;

  FailureDetector(Vertx vertx, CoordinatorConfig config, ReplicationFlavor flavor, SwitchoverOrchestrator orchestrator,
                  SwitchoverRecorder recorder, CoordinatorMetrics metrics) {
    this.vertx = vertx;
    this.recorder = recorder;
    this.metrics = metrics;
    this.config = config;
    this.flavor = flavor;
    this.orchestrator = orchestrator;
    this.reopen = new PrimaryReopen(orchestrator, flavor);
  }

  void start() {
    timer = vertx.setPeriodic(config.probeInterval().toMillis(), id -> tick());
    repairTimer = vertx.setPeriodic(config.monitorInterval().toMillis(), id -> repair());
  }

  private void repair() {
    if (orchestrator.busy()) {
      return;
    }
    orchestrator.rediscover()
        .compose(topology -> topology.phase() == Topology.Phase.STABLE ? orchestrator.membership().rejoinDetached()
            : Future.succeededFuture())
        .onFailure(e -> log.debug("topology repair round failed: {}", e.getMessage()));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (repairTimer >= 0) {
      vertx.cancelTimer(repairTimer);
    }
  }

  private void tick() {
    if (checking || orchestrator.busy()) {
      return;
    }
    checking = true;
    long probeTimeout = Math.max(200, config.probeInterval().toMillis() * 2);
    long probedAt = System.currentTimeMillis();
    orchestrator.topology()
        .compose(topology -> topology.phase() == Topology.Phase.UNDECIDED ? Future.succeededFuture()
            : orchestrator.servers().answers(topology.primary(), probeTimeout)
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
                return recorder.record("failover", orchestrator::failover).onSuccess(report -> {
                  metrics.detectionToServing(java.time.Duration.ofMillis(System.currentTimeMillis() - detectedAt));
                  log.warn("failover done: {}", report.encode());
                }).mapEmpty();
              });
            }))
        .onFailure(e -> log.warn("failure detection round failed: {}", e.getMessage()))
        .onComplete(done -> checking = false);
  }

  private Future<Boolean> agree(Topology topology) {
    Future<List<PhaseAck>> proxies = orchestrator.broadcast(PhaseCommand.status());
    List<Future<Agreement.ReplicaView>> replicas = new ArrayList<>();
    for (String replica : topology.replicas()) {
      replicas.add(orchestrator.servers().row(replica, flavor.replicaStatus(), config.phaseTimeout().toMillis())
          .map(status -> new Agreement.ReplicaView(replica,
              status != null && "Yes".equals(status.getString(flavor.ioRunningColumn()))))
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
      checks.add(orchestrator.servers().value(server, "SELECT @@read_only")
          .compose(readOnly -> {
            if (!"0".equals(readOnly)) {
              return Future.succeededFuture();
            }
            log.warn("fencing {}: writable but not the primary {} (epoch {})", server, topology.primary(),
                topology.epoch());
            return orchestrator.servers().run(server, flavor.fence());
          })
          .recover(unreachable -> Future.succeededFuture()));
    }
    return Future.join(checks).mapEmpty();
  }
}
