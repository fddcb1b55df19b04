package dev.tether.coordinator;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every switchover and failover run (planned from the admin API, unplanned from the failure
 * detector) without touching how it runs: when it ends, its report goes to the shared history
 * (status page, {@code ./tether status}) and its phase times to the metrics.
 */
final class SwitchoverRecorder {
  private static final Logger log = LoggerFactory.getLogger(SwitchoverRecorder.class);

  private final SwitchoverHistory history;
  private final CoordinatorMetrics metrics;
  private final Clock clock;

  SwitchoverRecorder(SwitchoverHistory history, CoordinatorMetrics metrics, Clock clock) {
    this.history = history;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Runs {@code run} and records its outcome under {@code kind}. */
  Future<JsonObject> record(RunKind kind, Supplier<Future<JsonObject>> run) {
    long started = clock.millis();
    return run.get().andThen(done -> finished(kind, started, done));
  }

  private void finished(RunKind kind, long started, AsyncResult<JsonObject> done) {
    if (done.succeeded()) {
      metrics.phases(kind, done.result());
    }
    history.add(SwitchoverHistory.entry(kind, started, done.succeeded() ? done.result() : null, done.cause()))
        .onFailure(e -> log.info("switchover report not kept in the shared history: {}", e.getMessage()));
  }

  SwitchoverHistory history() {
    return history;
  }
}
