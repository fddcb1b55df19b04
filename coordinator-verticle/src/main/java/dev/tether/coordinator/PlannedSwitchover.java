package dev.tether.coordinator;

import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import dev.tether.config.SwitchoverMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * One planned switchover, from the admin API: BLOCK every proxy node → fence the old primary, wait
 * until the target applied everything, promote it → SWITCH every node to the new epoch → RESTORE,
 * while the old primary is re-pointed at the new one. Each phase is saved in the shared topology
 * before it starts, so a standby that takes over finishes it or rolls it back ({@link Takeover}). A
 * node that does not answer within the phase timeout is reported and the run goes on: it still
 * follows the epoch once it hears.
 */
final class PlannedSwitchover {
  private final SwitchoverSteps steps;
  private final Election election;
  private final SwitchoverReport report;

  PlannedSwitchover(SwitchoverSteps steps, Election election, Clock clock) {
    this.steps = steps;
    this.election = election;
    this.report = new SwitchoverReport(clock, null);
  }

  /** Runs to {@code requestedTarget}, or to the replica that has applied the most when null, in the configured mode. */
  Future<JsonObject> run(String requestedTarget) {
    return run(requestedTarget, steps.replication.config().switchoverMode());
  }

  /** As {@link #run(String)}, treating open transactions as {@code mode} says. */
  Future<JsonObject> run(String requestedTarget, SwitchoverMode mode) {
    return steps.store.topology().compose(current -> {
      if (current.phase() != Topology.Phase.STABLE) {
        return SwitchoverFailure.PHASE_IN_PROGRESS.<Void>fail(
            "a switchover is already in progress (" + current.phase() + ")");
      }
      return (requestedTarget != null ? Future.succeededFuture(requestedTarget) : election.mostApplied(current.replicas()))
          .compose(target -> to(current, target, mode));
    }).map(done -> report.finished());
  }

  private Future<Void> to(Topology current, String target, SwitchoverMode mode) {
    if (!current.replicas().contains(target)) {
      return SwitchoverFailure.NOT_A_REPLICA.fail(target + " is not a replica of " + current.primary());
    }
    long epoch = current.epoch() + 1;
    report.route(current.primary(), target, epoch);
    report.mode(mode);
    return steps.store.save(current.withPhase(Topology.Phase.BLOCKING, target))
        .compose(ignored -> report.timed(SwitchoverReport.Step.BLOCK, () -> steps.broadcast(PhaseCommand.block(epoch,
            steps.replication.config().blockWindow().toMillis(), ServerAddress.parse(target), mode))))
        .compose(ignored -> steps.store.save(current.withPhase(Topology.Phase.PROMOTING, target)))
        .compose(ignored -> report.timed(SwitchoverReport.Step.PROMOTE,
            () -> steps.promoteOver(current.primary(), target, epoch, report)))
        .compose(ignored -> Future.all(steps.oldPrimaryFollows(current.primary(), target, report),
            steps.finish(current, target, report)))
        .compose(ignored -> steps.disconnectClients(current.primary()))
        .compose(ignored -> steps.repointOthers(new Topology(epoch, target,
            current.replicas().stream().filter(r -> !r.equals(target)).toList(), Topology.Phase.STABLE, null)));
  }
}
