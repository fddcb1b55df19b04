package dev.tether.coordinator;

import dev.tether.cluster.ServerHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/** The coordinator's meters, with their names: whether it is active, each server as last read, and the switchovers it ran. */
final class CoordinatorMetrics {
  static final String ACTIVE = "tether.coordinator.active";
  static final String SERVER_UP = "tether.coordinator.server.up";
  static final String SERVER_READ_ONLY = "tether.coordinator.server.read.only";
  static final String REPLICATION_RUNNING = "tether.coordinator.replication.running";
  static final String REPLICATION_LAG = "tether.coordinator.replication.lag.seconds";
  static final String SWITCHOVERS = "tether.coordinator.switchovers";
  /** Prometheus: tether_coordinator_switchover_phase_duration_seconds{kind,phase} (histogram). */
  static final String PHASE_DURATION = "tether.coordinator.switchover.phase.duration";
  /** Prometheus: tether_coordinator_switchover_duration_seconds{kind} (histogram), start to RESTORE. */
  static final String SWITCHOVER_DURATION = "tether.coordinator.switchover.duration";
  /** Prometheus: tether_coordinator_switchover_client_pause_seconds{kind}: the longest any command was held. */
  static final String CLIENT_PAUSE = "tether.coordinator.switchover.client.pause";
  /** Prometheus: tether_coordinator_failover_detection_to_serving_seconds: first failed probe to switched. */
  static final String DETECTION_TO_SERVING = "tether.coordinator.failover.detection.to.serving";
  /** Prometheus: tether_coordinator_probes_total{outcome=answered|failed}: probes of the primary. */
  static final String PROBES = "tether.coordinator.probes";
  /** Prometheus: tether_coordinator_topology_epoch: the epoch of the topology this coordinator last read. */
  static final String TOPOLOGY_EPOCH = "tether.coordinator.topology.epoch";
  /** Prometheus: tether_coordinator_switchover_failures_total{kind,reason}: runs refused or stopped, by {@link SwitchoverFailure}. */
  static final String SWITCHOVER_FAILURES = "tether.coordinator.switchover.failures";
  /** Prometheus: tether_coordinator_fences_total{reason}: servers made read-only, by {@link FenceReason}. */
  static final String FENCES = "tether.coordinator.fences";
  /** Bucket bounds of the coordinator's duration histograms. */
  private static final java.time.Duration[] BUCKETS = java.util.stream.Stream.of(10, 25, 50, 100, 250, 500, 1000, 2500,
      5000, 10000, 30000).map(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

  private final MeterRegistry registry;
  private final Map<String, ServerHealth> readings = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong(-1);

  CoordinatorMetrics(MeterRegistry registry, List<String> servers, BooleanSupplier active) {
    this.registry = registry;
    Gauge.builder(ACTIVE, () -> active.getAsBoolean() ? 1 : 0)
        .description("1 while this coordinator holds the leader lock").register(registry);
    Gauge.builder(TOPOLOGY_EPOCH, epoch, e -> e.get() < 0 ? Double.NaN : e.get())
        .description("epoch of the topology last read (NaN before the first read)").register(registry);
    for (String outcome : List.of("answered", "failed")) {
      registry.counter(PROBES, "outcome", outcome);
    }
    for (RunKind run : RunKind.values()) {
      String kind = run.label();
      for (String outcome : List.of("done", "failed")) {
        registry.counter(SWITCHOVERS, "kind", kind, "outcome", outcome);
      }
      for (SwitchoverFailure reason : SwitchoverFailure.values()) {
        registry.counter(SWITCHOVER_FAILURES, "kind", kind, "reason", reason.label());
      }
      timer(SWITCHOVER_DURATION, "kind", kind);
      timer(CLIENT_PAUSE, "kind", kind);
      for (SwitchoverReport.Step phase : SwitchoverReport.Step.values()) {
        timer(PHASE_DURATION, "kind", kind, "phase", phase.key());
      }
    }
    for (FenceReason reason : FenceReason.values()) {
      registry.counter(FENCES, "reason", reason.label());
    }
    timer(DETECTION_TO_SERVING);
    for (String server : servers) {
      serverGauge(SERVER_UP, server, "1 when the server answered the last reading",
          h -> h.reachable() ? 1 : 0);
      serverGauge(SERVER_READ_ONLY, server, "1 when read_only is on", h -> h.readOnly() ? 1 : 0);
      serverGauge(REPLICATION_RUNNING, server, "1 when both replication threads run, 0 when not, NaN when not a replica",
          h -> h.replicating() == null ? Double.NaN : h.replicating() ? 1 : 0);
      serverGauge(REPLICATION_LAG, server, "seconds behind its primary, NaN when the server cannot say",
          h -> h.lagSeconds() == null ? Double.NaN : h.lagSeconds());
    }
  }

  private void serverGauge(String name, String server, String description, ToDoubleFunction<ServerHealth> value) {
    Gauge.builder(name, () -> {
      ServerHealth health = readings.get(server);
      return health == null ? Double.NaN : value.applyAsDouble(health);
    }).tag("server", server).description(description).register(registry);
  }

  void reading(ServerHealth health) {
    readings.put(health.server(), health);
  }

  /** A switchover this coordinator ran, by kind (planned, failover) and outcome (done, failed). */
  void switchover(RunKind kind, boolean done) {
    registry.counter(SWITCHOVERS, "kind", kind.label(), "outcome", done ? "done" : "failed").increment();
  }

  /** A run refused or stopped, by why. */
  void switchoverFailed(RunKind kind, SwitchoverFailure reason) {
    registry.counter(SWITCHOVER_FAILURES, "kind", kind.label(), "reason", reason.label()).increment();
  }

  /** A server made read-only, by why. */
  void fenced(FenceReason reason) {
    registry.counter(FENCES, "reason", reason.label()).increment();
  }

  /** A probe of the primary by the failure detector. */
  void probe(boolean answered) {
    registry.counter(PROBES, "outcome", answered ? "answered" : "failed").increment();
  }

  void epoch(long current) {
    epoch.set(current);
  }

  /** The phase times of a finished run's report ({@code block.millis}, ...), its total and its client pause. */
  void phases(RunKind run, io.vertx.core.json.JsonObject report) {
    String kind = run.label();
    for (SwitchoverReport.Step step : SwitchoverReport.Step.values()) {
      String phase = step.key();
      io.vertx.core.json.JsonObject timed = report.getJsonObject(phase);
      if (timed != null && timed.getLong("millis") != null) {
        timer(PHASE_DURATION, "kind", kind, "phase", phase).record(java.time.Duration.ofMillis(timed.getLong("millis")));
      }
    }
    if (report.getLong("totalMillis") != null) {
      timer(SWITCHOVER_DURATION, "kind", kind).record(java.time.Duration.ofMillis(report.getLong("totalMillis")));
    }
    if (report.getLong("longestHoldMillis") != null) {
      timer(CLIENT_PAUSE, "kind", kind).record(java.time.Duration.ofMillis(report.getLong("longestHoldMillis")));
    }
  }

  /** A failover finished: how long from the first failed probe of the dead primary until sessions were switched. */
  void detectionToServing(java.time.Duration took) {
    timer(DETECTION_TO_SERVING).record(took);
  }

  private io.micrometer.core.instrument.Timer timer(String name, String... tags) {
    return io.micrometer.core.instrument.Timer.builder(name).tags(tags).serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /** The Prometheus exposition of every meter, or nothing when the registry is not Prometheus'. */
  String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }
}
