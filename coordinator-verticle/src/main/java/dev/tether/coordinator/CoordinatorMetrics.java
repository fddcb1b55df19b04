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

  private final MeterRegistry registry;
  private final Map<String, ServerHealth> readings = new ConcurrentHashMap<>();

  CoordinatorMetrics(MeterRegistry registry, List<String> servers, BooleanSupplier active) {
    this.registry = registry;
    Gauge.builder(ACTIVE, () -> active.getAsBoolean() ? 1 : 0)
        .description("1 while this coordinator holds the leader lock").register(registry);
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
  void switchover(String kind, boolean done) {
    registry.counter(SWITCHOVERS, "kind", kind, "outcome", done ? "done" : "failed").increment();
  }

  /** The Prometheus exposition of every meter, or nothing when the registry is not Prometheus'. */
  String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }
}
