package dev.tether.coordinator;

import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's duty on taking over: finish the switchover the previous coordinator left half done,
 * or roll it back ({@link TakeoverPlan} decides which), and report what it did with its timings.
 */
final class Takeover {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final SwitchoverSteps steps;
  private final SwitchoverReport report;

  Takeover(SwitchoverSteps steps, Clock clock) {
    this.steps = steps;
    this.report = new SwitchoverReport(clock, "takeover");
  }

  /** The report: {@code action} (a {@link TakeoverPlan.Action}), the phase found, and the steps run. */
  Future<JsonObject> run() {
    return steps.store.topology().compose(current -> {
      if (!TakeoverPlan.leftHalfDone(current)) {
        return Future.succeededFuture(TakeoverPlan.decide(current, false));
      }
      log.warn("resuming a switchover left in {} (target {})", current.phase(), current.target());
      report.note("resumed", current.phase().name());
      return steps.replication.servers().value(current.target(), "SELECT @@read_only")
          .map(readOnly -> TakeoverPlan.decide(current, "0".equals(readOnly)))
          .compose(plan -> carryOut(current, plan).map(plan));
    }).map(plan -> report.note("action", plan.action().name()).finished());
  }

  private Future<Void> carryOut(Topology current, TakeoverPlan plan) {
    String target = current.target();
    String oldPrimary = current.primary();
    return switch (plan.action()) {
      case NOTHING -> Future.succeededFuture();
      case FINISH_SWITCH -> recordEpoch(plan, target) // if it died before the record
          .compose(ignored -> steps.finish(current, target, report))
          .compose(ignored -> steps.reattachReplicas(current)); // the old primary follows alongside SWITCH
      case COMPLETE_PROMOTION -> recordEpoch(plan, target)
          .compose(ignored -> steps.repointIfDetached(oldPrimary, target, true))
          .compose(ignored -> steps.finish(current, target, report))
          .compose(ignored -> steps.disconnectClients(oldPrimary));
      // promotion may have stopped the target's replication before it failed: it follows the old primary again
      case ROLL_BACK -> steps.repointIfDetached(target, oldPrimary, false)
          .compose(ignored -> steps.replication.servers().run(oldPrimary, List.of("SET GLOBAL read_only = OFF")))
          .compose(ignored -> steps.broadcast(PhaseCommand.restore(plan.epoch())))
          .compose(ignored -> steps.store.save(current.withPhase(Topology.Phase.STABLE, null)));
    };
  }

  private Future<Void> recordEpoch(TakeoverPlan plan, String target) {
    return steps.store.record(new EpochRecord(plan.epoch(), target, null, EpochRecord.SWITCHOVER));
  }
}
