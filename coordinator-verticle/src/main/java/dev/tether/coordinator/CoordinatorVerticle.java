package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.config.TetherConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.shareddata.Lock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordinator process. Active while it holds the cluster-wide leader lock (Hazelcast releases
 * it when its holder dies), standby otherwise, retrying every second. On becoming active it
 * finishes or rolls back any switchover a previous coordinator left, then serves the admin API,
 * watches the primary for failures and reads every server's health.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorVerticle.class);

  private final TetherConfig config;
  private final ReplicationFlavor flavor;
  private final MeterRegistry registry;
  private final Clock clock;
  private CoordinatorMetrics metrics;
  private Coordination parts;
  /** The timers of the active coordinator's duties ({@link Coordination#duties}). */
  private final List<Long> dutyTimers = new ArrayList<>();
  private Lock leadership;
  private HttpServer admin;
  private long retryTimer = -1;

  public CoordinatorVerticle(TetherConfig config, ReplicationFlavor flavor) {
    this(config, flavor, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public CoordinatorVerticle(TetherConfig config, ReplicationFlavor flavor, MeterRegistry registry) {
    this(config, flavor, registry, Clock.systemUTC());
  }

  /** {@code clock}: the one clock every part of this coordinator reads time from. */
  public CoordinatorVerticle(TetherConfig config, ReplicationFlavor flavor, MeterRegistry registry, Clock clock) {
    this.config = config;
    this.flavor = flavor;
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    metrics = new CoordinatorMetrics(registry, config.coordinator().servers(), this::active);
    parts = new Coordination(vertx, config.coordinator(), flavor, metrics, clock);
    contend();
    return Future.succeededFuture();
  }

  /** True while this coordinator is the active one. */
  public boolean active() {
    return admin != null;
  }

  private void contend() {
    vertx.sharedData().getLockWithTimeout(Addresses.COORDINATOR_LOCK, 1000).onComplete(acquired -> {
      if (acquired.failed()) {
        retryTimer = vertx.setTimer(1000, id -> contend()); // standby
        return;
      }
      leadership = acquired.result();
      parts.leadership.lead();
      log.info("coordinator active");
      parts.orchestrator.resume()
          .onSuccess(report -> {
            if (!TakeoverPlan.Action.NOTHING.name().equals(report.getString("action"))) {
              log.info("took over a half-done switchover: {}", report.encode());
            }
          })
          .recover(e -> {
            log.error("could not resume the previous switchover: {}", e.getMessage());
            return Future.succeededFuture();
          })
          .compose(ignored -> AdminApi.start(vertx, config.coordinator(), config.cluster().host(), parts,
              metrics, config.cluster().nodeId(), registry))
          .onSuccess(server -> {
            admin = server;
            log.info("admin API on {}://{}:{}", config.coordinator().adminTls().enabled() ? "https" : "http",
                config.cluster().host(), server.actualPort());
            parts.duties.forEach(duty -> dutyTimers.add(duty.schedule(vertx)));
          })
          .onFailure(e -> log.error("admin API failed to start: {}", e.getMessage()));
    });
  }

  @Override
  public Future<?> stop() {
    if (parts != null) {
      parts.leadership.abdicate();
    }
    dutyTimers.forEach(vertx::cancelTimer);
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    Future<Void> closed = admin == null ? Future.succeededFuture() : admin.close();
    return closed.andThen(ignored -> {
      if (leadership != null) {
        leadership.release();
      }
    });
  }
}
