package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * The coordinator's parts, wired once, each handed what it needs directly: the control connections,
 * the fleet broadcast, the topology store, one run at a time, the orchestrator of the runs, the
 * membership changes and the history. Every part that reads time reads {@link #clock}.
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
  final Clock clock;
  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final ReplicationFlavor flavor;
  private final CoordinatorMetrics metrics;
  private final Fencing fencing;

  Coordination(Vertx vertx, CoordinatorConfig config, ReplicationFlavor flavor, CoordinatorMetrics metrics,
               Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.flavor = flavor;
    this.metrics = metrics;
    this.clock = clock;
    this.servers = new ServerControl(vertx, config, leadership::leading);
    this.fleet = new FleetBroadcast(vertx, config, leadership::leading);
    this.fencing = new Fencing(servers, flavor, metrics);
    ServerFactsReader facts = new ServerFactsReader(servers, flavor, config);
    this.store = new TopologyStore(vertx, servers, flavor, leadership, facts, fencing);
    SwitchoverSteps steps = new SwitchoverSteps(servers, flavor, config, store, fleet, fencing);
    this.orchestrator = new SwitchoverOrchestrator(steps, new Election(servers, flavor, config, clock), runs, metrics,
        clock);
    this.membership = new TopologyMembership(store, runs, new Rejoiner(servers, flavor, config, facts, fencing),
        servers, flavor, config);
    this.recorder = new SwitchoverRecorder(new SwitchoverHistory(vertx), metrics, clock);
  }

  /** The watch over the primary; its failovers are recorded, a reopened primary's hand-over is not. */
  FailureDetector failureDetector() {
    PrimaryReopen reopen = new PrimaryReopen(servers, flavor, runs, orchestrator::failover);
    return new FailureDetector(vertx, config, flavor, servers, store, fleet, runs,
        () -> recorder.record(RunKind.FAILOVER, orchestrator::failover), reopen, fencing, metrics, clock);
  }

  ServerMonitor serverMonitor() {
    return new ServerMonitor(vertx, config, flavor, servers, store, metrics, clock);
  }

  TopologyRepair topologyRepair() {
    return new TopologyRepair(vertx, config, store, runs, membership);
  }
}
