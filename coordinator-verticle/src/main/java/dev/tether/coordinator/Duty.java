package dev.tether.coordinator;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Something the active coordinator does every {@code interval} on its event loop (and once right
 * away when {@code atStart}): watch the primary, read every server, repair the topology.
 */
record Duty(Duration interval, boolean atStart, Runnable round) {

  /** Starts the duty; the timer to cancel when the coordinator stops. */
  long schedule(Vertx vertx) {
    if (atStart) {
      round.run();
    }
    return vertx.setPeriodic(interval.toMillis(), id -> round.run());
  }
}
