package dev.tether.coordinator;

import dev.tether.config.SwitchoverMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Starts the runs that change the primary, one at a time ({@link RunGuard}): each is its own object
 * with its own report — {@link PlannedSwitchover}, {@link Failover}, and on taking the leader lock
 * the {@link Takeover} of whatever a previous coordinator left half done — and counts how it ended.
 */
record SwitchoverOrchestrator(SwitchoverSteps steps, Election election, RunGuard runs, CoordinatorMetrics metrics,
                              Clock clock) {

  /**
   * Planned switchover to {@code requestedTarget}, or to the replica that has applied the most when
   * null; open transactions are treated as {@code mode} says, or as configured when it is null.
   */
  Future<JsonObject> planned(String requestedTarget, SwitchoverMode mode) {
    SwitchoverMode chosen = mode != null ? mode : steps.replication.config().switchoverMode();
    return counted(RunKind.PLANNED, runs.exclusively(() -> new PlannedSwitchover(steps, election, clock)
        .run(requestedTarget, chosen).andThen(done -> metrics.switchover(RunKind.PLANNED, done.succeeded()))));
  }

  /** Unplanned failover after the primary was declared dead by agreement. */
  Future<JsonObject> failover() {
    return counted(RunKind.FAILOVER, runs.exclusively(() -> new Failover(steps, election, clock).run()
        .andThen(done -> metrics.switchover(RunKind.FAILOVER, done.succeeded()))));
  }

  /** On taking the leader lock: finish or roll back a switchover the previous coordinator left. */
  Future<JsonObject> resume() {
    return new Takeover(steps, clock).run();
  }

  private Future<JsonObject> counted(RunKind kind, Future<JsonObject> run) {
    return run.onFailure(e -> metrics.switchoverFailed(kind, SwitchoverFailure.of(e)));
  }
}
