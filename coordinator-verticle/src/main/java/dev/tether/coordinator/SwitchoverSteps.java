package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps planned switchovers, failovers and takeovers are made of, each written once: promote a
 * caught-up target over a fenced primary, SWITCH and RESTORE the fleet, re-point replicas, and
 * disconnect the old primary's direct clients. Holds no state of a run: the run objects do.
 */
final class SwitchoverSteps {
  private static final Logger log = LoggerFactory.getLogger(SwitchoverSteps.class);

  final ReplicationControl replication;
  final TopologyStore store;
  private final PhaseSender fleet;
  private final Fencing fencing;
  private final ClientFencing clients;

  SwitchoverSteps(ReplicationControl replication, TopologyStore store, PhaseSender fleet, Fencing fencing) {
    this.replication = replication;
    this.store = store;
    this.fleet = fleet;
    this.fencing = fencing;
    this.clients = new ClientFencing(replication.servers(), replication.config());
  }

  Future<List<PhaseAck>> broadcast(PhaseCommand command) {
    return fleet.send(command);
  }

  /**
   * A planned promotion: the old primary is fenced, the target applies everything it had, is
   * promoted and records the epoch; each part timed in the report ({@code promoteParts}: fence,
   * catchUp, promote). The fleet's writes are held since BLOCK, so the target starts applying up to
   * the old primary's position of now while the fence runs, then up to the position the fence made
   * final: catchUp spans both, the fence inside it. The old primary follows the new one alongside
   * SWITCH ({@link #oldPrimaryFollows}), not here: no client waits for it.
   */
  Future<List<PhaseAck>> promoteOver(String oldPrimary, String target, long epoch, SwitchoverReport report) {
    SwitchoverReport.Step step = SwitchoverReport.Step.PROMOTE;
    return report.part(step, "catchUp", () -> {
      Future<String> beforeFence = replication.position(oldPrimary)
          .compose(position -> replication.waitFor(target, position));
      return report.part(step, "fence", () -> fencing.fence(oldPrimary, FenceReason.DEMOTED_PRIMARY))
          .compose(fenced -> beforeFence.transform(early -> replication.position(oldPrimary)))
          .compose(position -> replication.waitFor(target, position));
    })
        .compose(waited -> "0".equals(waited) ? Future.<Void>succeededFuture()
            : SwitchoverFailure.TARGET_BEHIND.<Void>fail(target + " did not catch up with the old primary (" + waited + ")"))
        .compose(ignored -> report.part(step, "promote", () -> promote(target, epoch, EpochRecord.SWITCHOVER)))
        .map(ignored -> List.of());
  }

  /**
   * The fenced old primary becomes a replica of the promoted target, timed as {@code
   * switchParts.follow}: run alongside SWITCH and RESTORE, which do not need it (the new primary's
   * commits do not wait for a semi-synchronous replica that is not there yet). A failure is logged
   * and the switchover goes on: the old primary stays fenced and detached until it is rejoined, and
   * a coordinator that takes over re-points it ({@link #reattachReplicas}).
   */
  Future<Void> oldPrimaryFollows(String oldPrimary, String target, SwitchoverReport report) {
    return report.part(SwitchoverReport.Step.SWITCH, "follow", () -> replication.follow(oldPrimary, target, true))
        .recover(e -> {
          log.warn("the old primary {} does not follow {} yet: {}", oldPrimary, target, e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** {@code target} is promoted and records the epoch (of {@code kind}) with the position its history forks at. */
  Future<Void> promote(String target, long epoch, String kind) {
    return replication.position(target)
        .compose(fork -> replication.promote(target)
            .compose(ignored -> store.record(new EpochRecord(epoch, target, fork, kind))));
  }

  /** SWITCH and RESTORE to {@code target}; {@code current} may already name it (a resumed SWITCHING). */
  Future<Void> finish(Topology current, String target, SwitchoverReport report) {
    Topology next = current.primary().equals(target) ? current.withPhase(Topology.Phase.STABLE, null)
        : current.promoted(target);
    ServerAddress address = ServerAddress.parse(target);
    return store.save(next.withPhase(Topology.Phase.SWITCHING, target))
        .compose(ignored -> report.timed(SwitchoverReport.Step.SWITCH, () -> broadcast(
            PhaseCommand.switchAndHold(next.epoch(), address.host(), address.port()))))
        .compose(ignored -> report.timed(SwitchoverReport.Step.RESTORE, () -> broadcast(PhaseCommand.restore(next.epoch()))))
        .compose(ignored -> store.save(next))
        .onSuccess(ignored -> log.info("switchover done: primary {} at epoch {}", target, next.epoch()));
  }

  /**
   * Makes every replica of {@code next} replicate from its primary. After a planned switchover this
   * runs once clients are released: until then the other replicas follow through the old primary,
   * which replicates from the new one.
   */
  Future<Void> repointOthers(Topology next) {
    Future<Void> chain = Future.succeededFuture();
    for (String replica : next.replicas()) {
      chain = chain.compose(ignored -> replication.follow(replica, next.primary(), false)
          .recover(e -> {
            log.warn("could not re-point {} at {}: {}", replica, next.primary(), e.getMessage());
            return Future.succeededFuture();
          }));
    }
    return chain;
  }

  /**
   * After a takeover of a SWITCHING run: every replica of {@code current} that does not replicate
   * (the old primary, when its coordinator died before it followed) follows the primary, continuing
   * after what its own binlog holds.
   */
  Future<Void> reattachReplicas(Topology current) {
    Future<Void> chain = Future.succeededFuture();
    for (String replica : current.replicas()) {
      chain = chain.compose(ignored -> repointIfDetached(replica, current.primary(), true));
    }
    return chain;
  }

  /**
   * A server a dead coordinator's promotion left detached, made a replica of {@code primary}, unless
   * it already replicates (re-pointing twice could apply transactions twice). Best effort: an
   * unreachable server stays fenced by read_only and the failure detector.
   */
  Future<Void> repointIfDetached(String server, String primary, boolean wasPrimary) {
    return replication.replicaStatus(server)
        .compose(status -> status != null ? Future.<Void>succeededFuture()
            : replication.follow(server, primary, wasPrimary))
        .recover(unreachable -> {
          log.warn("{} not re-pointed at {}: {}", server, primary, unreachable.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Fencing's second half: the old primary's clients that bypass the proxies are disconnected. */
  Future<Void> disconnectClients(String oldPrimary) {
    return clients.disconnect(oldPrimary);
  }
}
