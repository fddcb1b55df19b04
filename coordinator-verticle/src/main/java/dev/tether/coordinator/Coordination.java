package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * The coordinator's parts, wired once, each handed what it needs directly: the control connections,
 * the fleet broadcast, the topology store, one run at a time, the orchestrator of the runs, the
 * membership changes, the history and the periodic duties. Every part that reads time reads
 * {@link #clock}.
 */
final class Coordination {
  final Leadership leadership = new Leadership();
  final RunGuard runs = new RunGuard();
  final ServerControl servers;
  final FleetBroadcast fleet;
  final TopologyStore store;
  final SwitchoverOrchestrator orchestrator;
  final TopologyMembership membership;
  final SwitchoverRecorder recorder;
  /**
   * What the active coordinator does every interval: the watch over the primary (its failovers are
   * recorded, a reopened primary's hand-over is not), the topology repair, and the reading of every
   * server (the first one right away).
   */
  final List<Duty> duties;
  final Clock clock;

  Coordination(Vertx vertx, CoordinatorConfig config, ReplicationFlavor flavor, CoordinatorMetrics metrics,
               Clock clock) {
    this.clock = clock;
    this.servers = new ServerControl(vertx, config, leadership::leading);
    this.fleet = new FleetBroadcast(vertx, config, leadership::leading);
    ReplicationControl replication = new ReplicationControl(servers, flavor, config);
    Fencing fencing = new Fencing(replication, metrics);
    ServerFactsReader facts = new ServerFactsReader(replication);
    this.store = new TopologyStore(vertx, servers, flavor, leadership, facts, fencing);
    SwitchoverSteps steps = new SwitchoverSteps(replication, store, fleet, fencing);
    this.orchestrator = new SwitchoverOrchestrator(steps, new Election(replication, clock), runs, metrics, clock);
    this.membership = new TopologyMembership(store, runs, new Rejoiner(replication, facts, fencing), replication);
    this.recorder = new SwitchoverRecorder(new SwitchoverHistory(vertx), metrics, clock);
    PrimaryReopen reopen = new PrimaryReopen(servers, flavor, runs, orchestrator::failover);
    FailureDetector detector = new FailureDetector(replication, store, fleet, runs,
        () -> recorder.record(RunKind.FAILOVER, orchestrator::failover), reopen, fencing, metrics, clock);
    ServerMonitor monitor = new ServerMonitor(vertx, replication, store, metrics, clock);
    this.duties = List.of(new Duty(config.probeInterval(), false, detector::probe),
        new Duty(config.monitorInterval(), false, membership::repair),
        new Duty(config.monitorInterval(), true, monitor::readAll));
  }
}
