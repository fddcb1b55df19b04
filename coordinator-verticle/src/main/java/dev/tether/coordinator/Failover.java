package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unplanned failover, after the primary was declared dead by agreement: the replica that
 * received the most is elected ({@link Election#mostReceived}), applies everything it received, is
 * promoted, the other replicas follow it, and every node switches to it (their sessions are already
 * held, retrying). The dead primary is detached; when it comes back it is fenced, and rejoined if it
 * holds nothing the new primary lacks.
 */
final class Failover {
  private static final Logger log = LoggerFactory.getLogger(Failover.class);

  private final SwitchoverSteps steps;
  private final Election election;
  private final SwitchoverReport report;

  Failover(SwitchoverSteps steps, Election election, Clock clock) {
    this.steps = steps;
    this.election = election;
    this.report = new SwitchoverReport(clock, "failover");
  }

  Future<JsonObject> run() {
    return steps.store.topology().compose(current -> election.mostReceived(current.replicas())
        .compose(target -> to(current, target)))
        .map(done -> report.finished());
  }

  private Future<Void> to(Topology current, String target) {
    report.route(current.primary(), target, current.epoch() + 1);
    log.warn("failover: primary {} declared dead; promoting {}", current.primary(), target);
    ServerAddress address = ServerAddress.parse(target);
    Topology withoutDead = current.promoted(target).detaching(new Topology.Detached(current.primary(),
        Topology.DetachReason.SUPERSEDED_PRIMARY, "declared dead at epoch " + current.epoch(), null));
    return steps.store.save(current.withPhase(Topology.Phase.PROMOTING, target))
        .compose(ignored -> report.timed(SwitchoverReport.Step.PROMOTE,
            () -> steps.promote(target, withoutDead.epoch(), EpochRecord.FAILOVER).map(done -> List.<PhaseAck>of())))
        .compose(ignored -> steps.repointOthers(withoutDead))
        .compose(ignored -> steps.store.save(withoutDead.withPhase(Topology.Phase.SWITCHING, target)))
        .compose(ignored -> report.timed(SwitchoverReport.Step.SWITCH, () -> steps.broadcast(
            PhaseCommand.switchAndHold(withoutDead.epoch(), address.host(), address.port()))))
        .compose(ignored -> steps.broadcast(PhaseCommand.restore(withoutDead.epoch())))
        .compose(ignored -> steps.store.save(withoutDead));
  }
}
