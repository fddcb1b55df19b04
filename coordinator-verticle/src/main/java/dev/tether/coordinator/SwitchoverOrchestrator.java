package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a planned switchover: BLOCK every proxy node → fence the old primary, wait until the target
 * applied everything, promote it, re-point the old primary → SWITCH every node to the new epoch →
 * RESTORE. Each phase is recorded in the shared topology before it starts, so a standby that takes
 * over finishes the switchover or rolls it back ({@link #resume}). A node that does not answer within
 * the phase timeout is reported and the switchover goes on: it still follows the epoch once it hears.
 */
final class SwitchoverOrchestrator {
  private static final Logger log = LoggerFactory.getLogger(SwitchoverOrchestrator.class);

  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final ReplicationFlavor flavor;
  private final ServerControl servers;
  private final CoordinatorMetrics metrics;
  private final FleetBroadcast fleet;
  private final ClientFencing clientFencing;
  private final ServerFactsReader facts;
  private final TopologyDiscovery discovery;
  private final TopologyMembership membership;
  /** A switchover, failover or rejoin is running: the detector stays out of its way. */
  private boolean busy;
  /** This coordinator holds the leader lock; cleared first thing when it stops. */
  private volatile boolean leading;
  /** The discovery under way when several callers find no shared topology at once: one discovery, one epoch. */
  private Future<Topology> discovering;

  SwitchoverOrchestrator(Vertx vertx, CoordinatorConfig config, ReplicationFlavor flavor, CoordinatorMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.config = config;
    this.flavor = flavor;
    this.servers = new ServerControl(vertx, config, () -> leading);
    this.fleet = new FleetBroadcast(vertx, config, () -> leading);
    this.clientFencing = new ClientFencing(servers, config);
    this.facts = new ServerFactsReader(servers, flavor, config);
    this.discovery = new TopologyDiscovery(servers, flavor, facts);
    this.membership = new TopologyMembership(this, new Rejoiner(servers, flavor, config, facts), servers, flavor,
        config);
  }

  /** Called on taking the leader lock: from now on this coordinator changes servers and topology. */
  void lead() {
    leading = true;
  }

  /** Called first when stopping: whatever is still in flight stops at its next step. */
  void abdicate() {
    leading = false;
  }

  Future<Topology> topology() {
    return map().compose(map -> map.get(Addresses.TOPOLOGY_KEY))
        .compose(json -> json != null ? Future.succeededFuture(Topology.fromJson(json)) : discover());
  }

  /** No shared topology: the servers say which is the primary ({@link TopologyDiscovery}); saved once decided. */
  private Future<Topology> discover() {
    if (discovering == null) {
      discovering = discovery.discover().compose(found -> save(found).map(found))
          .andThen(done -> discovering = null);
    }
    return discovering;
  }

  /** While no primary is decided, the servers are asked again: an operator may have repaired them. */
  Future<Topology> rediscover() {
    return topology().compose(current -> current.phase() != Topology.Phase.UNDECIDED ? Future.succeededFuture(current)
        : discovery.discover().compose(found -> found.phase() == Topology.Phase.UNDECIDED
            && String.valueOf(found.undecidedReason()).equals(current.undecidedReason())
            ? Future.succeededFuture(current) : save(found).map(found)));
  }

  boolean busy() {
    return busy;
  }

  ServerControl servers() {
    return servers;
  }

  TopologyMembership membership() {
    return membership;
  }

  /** Planned switchover to {@code requestedTarget}, or to the first replica when null. */
  Future<JsonObject> planned(String requestedTarget) {
    return exclusively(() -> plannedSwitchover(requestedTarget)
        .andThen(done -> metrics.switchover("planned", done.succeeded())));
  }

  /** Runs {@code work} unless a switchover, failover or topology change is already running. */
  <T> Future<T> exclusively(java.util.function.Supplier<Future<T>> work) {
    if (busy) {
      return Future.failedFuture("a switchover, failover or topology change is already running");
    }
    busy = true;
    return work.get().eventually(() -> {
      busy = false;
      return Future.succeededFuture();
    });
  }

  /**
   * Unplanned failover after the primary was declared dead by agreement: the replica that received
   * the most is elected, applies everything it received, is promoted, the other replicas follow it,
   * and every node switches to it (their sessions are already held, retrying). The dead primary is
   * detached; when it comes back it is fenced, and rejoined if it holds nothing the new primary lacks.
   */
  Future<JsonObject> failover() {
    return exclusively(this::failoverNow);
  }

  private Future<JsonObject> failoverNow() {
    long started = System.currentTimeMillis();
    JsonObject report = new JsonObject().put("kind", "failover");
    return topology().compose(current -> elect(current).compose(target -> {
      report.put("from", current.primary()).put("to", target).put("epoch", current.epoch() + 1);
      log.warn("failover: primary {} declared dead; promoting {}", current.primary(), target);
      ServerAddress address = ServerAddress.parse(target);
      Topology withoutDead = current.promoted(target).detaching(new Topology.Detached(current.primary(),
          Topology.DetachReason.SUPERSEDED_PRIMARY, "declared dead at epoch " + current.epoch(), null));
      return save(current.withPhase(Topology.Phase.PROMOTING, target))
          .compose(ignored -> timed(report, "promote", () -> servers.value(target, flavor.readPosition())
              .compose(fork -> servers.run(target, flavor.promote())
                  .compose(done -> record(new EpochRecord(withoutDead.epoch(), target, fork, EpochRecord.FAILOVER))))
              .map(v -> List.of())))
          .compose(ignored -> repointOthers(withoutDead))
          .compose(ignored -> save(withoutDead.withPhase(Topology.Phase.SWITCHING, target)))
          .compose(ignored -> timed(report, "switch", () -> broadcast(
              PhaseCommand.switchTo(withoutDead.epoch(), address.host(), address.port()))))
          .compose(ignored -> broadcast(PhaseCommand.restore(withoutDead.epoch())))
          .compose(ignored -> save(withoutDead))
          .map(ignored -> report.put("totalMillis", System.currentTimeMillis() - started));
    })).andThen(done -> metrics.switchover("failover", done.succeeded()));
  }

  /** The reachable replica that received the most from the dead primary, once it applied all of it. */
  private Future<String> elect(Topology current) {
    List<Future<JsonObject>> statuses = new ArrayList<>();
    for (String replica : current.replicas()) {
      statuses.add(servers.run(replica, flavor.stopReceiving())
          .compose(ignored -> servers.row(replica, flavor.replicaStatus(), config.phaseTimeout().toMillis()))
          .recover(unreachable -> Future.succeededFuture(null)));
    }
    return Future.all(statuses).compose(all -> {
      String best = null;
      long bestSequence = -1;
      for (int i = 0; i < current.replicas().size(); i++) {
        JsonObject status = all.resultAt(i);
        if (status == null) {
          continue;
        }
        String received = status.getString(flavor.receivedPositionColumn(), "");
        long sequence = GtidPositions.highestSequence(received);
        if (sequence > bestSequence) {
          best = current.replicas().get(i);
          bestSequence = sequence;
        }
      }
      if (best == null) {
        return Future.failedFuture("no reachable replica to promote");
      }
      String elected = best;
      return appliedAllReceived(elected, System.currentTimeMillis() + config.phaseTimeout().toMillis())
          .map(applied -> elected);
    });
  }

  /**
   * Waits until {@code replica} applied everything it received: its received GTID position is
   * applied, or its SQL thread has read the whole relay log (a transaction cut off mid-stream when
   * the primary died can never be applied, and, unacknowledged, must not be).
   */
  private Future<Void> appliedAllReceived(String replica, long deadlineMillis) {
    return servers.row(replica, flavor.replicaStatus(), config.phaseTimeout().toMillis())
        .compose(status -> {
          if (flavor.readAllReceived(status)) {
            return Future.succeededFuture("0");
          }
          return servers.value(replica, flavor.waitFor(
              status == null ? "" : status.getString(flavor.receivedPositionColumn(), ""), 1));
        })
        .compose(waited -> {
          if ("0".equals(waited)) {
            return Future.succeededFuture();
          }
          if (System.currentTimeMillis() > deadlineMillis) {
            return Future.failedFuture(replica + " did not apply its relay log in time");
          }
          return appliedAllReceived(replica, deadlineMillis);
        });
  }

  /**
   * Makes every replica of {@code next} replicate from its primary. After a planned switchover this
   * runs once clients are released: until then the other replicas follow through the old primary,
   * which replicates from the new one.
   */
  private Future<Void> repointOthers(Topology next) {
    Future<Void> chain = Future.succeededFuture();
    for (String replica : next.replicas()) {
      chain = chain.compose(ignored -> servers.run(replica, follow(next.primary(), false))
          .recover(e -> {
            log.warn("could not re-point {} at {}: {}", replica, next.primary(), e.getMessage());
            return Future.succeededFuture();
          }));
    }
    return chain;
  }

  private Future<JsonObject> plannedSwitchover(String requestedTarget) {
    long started = System.currentTimeMillis();
    JsonObject report = new JsonObject();
    return topology().compose(current -> {
      if (current.phase() != Topology.Phase.STABLE) {
        return Future.failedFuture("a switchover is already in progress (" + current.phase() + ")");
      }
      return (requestedTarget != null ? Future.succeededFuture(requestedTarget) : mostAdvanced(current.replicas()))
          .compose(target -> plannedTo(current, target, report));
    }).map(done -> report.put("totalMillis", System.currentTimeMillis() - started));
  }

  /** The reachable replica that has applied the most (highest GTID sequence), for a switchover without a target. */
  private Future<String> mostAdvanced(List<String> replicas) {
    List<Future<String>> positions = new ArrayList<>();
    for (String replica : replicas) {
      positions.add(servers.value(replica, flavor.readPosition()).recover(unreachable -> Future.succeededFuture(null)));
    }
    return Future.all(positions).compose(all -> {
      String best = null;
      long bestSequence = -1;
      for (int i = 0; i < replicas.size(); i++) {
        long sequence = GtidPositions.highestSequence(all.resultAt(i));
        if (all.resultAt(i) != null && sequence > bestSequence) {
          best = replicas.get(i);
          bestSequence = sequence;
        }
      }
      return best == null ? Future.failedFuture("no reachable replica") : Future.succeededFuture(best);
    });
  }

  private Future<Void> plannedTo(Topology current, String target, JsonObject report) {
    if (!current.replicas().contains(target)) {
      return Future.failedFuture(target + " is not a replica of " + current.primary());
    }
    long epoch = current.epoch() + 1;
    report.put("from", current.primary()).put("to", target).put("epoch", epoch);
    return save(current.withPhase(Topology.Phase.BLOCKING, target))
        .compose(ignored -> timed(report, "block", () -> broadcast(PhaseCommand.block(epoch,
            config.blockWindow().toMillis(), ServerAddress.parse(target)))))
        .compose(ignored -> save(current.withPhase(Topology.Phase.PROMOTING, target)))
        .compose(ignored -> timed(report, "promote", () -> promote(current.primary(), target, epoch)))
        .compose(ignored -> finish(current, target, report))
        .compose(ignored -> clientFencing.disconnect(current.primary()))
        .compose(ignored -> repointOthers(new Topology(epoch, target,
            current.replicas().stream().filter(r -> !r.equals(target)).toList(), Topology.Phase.STABLE, null)));
  }

  /** Every node's sessions: per node and in total. */
  Future<JsonObject> sessions() {
    return fleet.sessions();
  }

  /** A standby's duty on taking over: finish a switchover the previous coordinator left half done. */
  Future<Void> resume() {
    return topology().compose(current -> {
      if (current.phase() == Topology.Phase.STABLE) {
        return Future.succeededFuture();
      }
      String target = current.target();
      log.warn("resuming a switchover left in {} (target {})", current.phase(), target);
      return servers.value(target, "SELECT @@read_only").compose(readOnly -> {
        if ("0".equals(readOnly)) { // promoted already: make sure the old primary follows it, switch everyone to it
          long epoch = current.primary().equals(target) ? current.epoch() : current.epoch() + 1;
          Future<Void> recorded = record(new EpochRecord(epoch, target, null, EpochRecord.SWITCHOVER)); // if it died first
          return current.primary().equals(target) ? recorded.compose(ignored -> finish(current, target, new JsonObject()))
              : recorded.compose(ignored -> repointIfDetached(current.primary(), target, true))
                  .compose(ignored -> finish(current, target, new JsonObject()))
                  .compose(ignored -> clientFencing.disconnect(current.primary()));
        }
        // not promoted: roll back — the target follows the old primary again (promotion may have
        // stopped its replication before it failed), the old primary takes writes, held work goes on
        return repointIfDetached(target, current.primary(), false)
            .compose(ignored -> servers.run(current.primary(), List.of("SET GLOBAL read_only = OFF")))
            .compose(ignored -> broadcast(PhaseCommand.restore(current.epoch() + 1)))
            .compose(ignored -> save(current.withPhase(Topology.Phase.STABLE, null)))
            .mapEmpty();
      });
    });
  }

  /**
   * A server a dead coordinator's promotion left detached, made a replica of {@code primary}, unless
   * it already replicates (re-pointing twice could apply transactions twice). Best effort: an
   * unreachable server stays fenced by read_only and the failure detector.
   */
  private Future<Void> repointIfDetached(String server, String primary, boolean wasPrimary) {
    return servers.row(server, flavor.replicaStatus(), config.phaseTimeout().toMillis())
        .compose(status -> status != null ? Future.<Void>succeededFuture()
            : servers.run(server, follow(primary, wasPrimary)))
        .recover(unreachable -> {
          log.warn("{} not re-pointed at {}: {}", server, primary, unreachable.getMessage());
          return Future.succeededFuture();
        });
  }

  /** SWITCH and RESTORE to {@code target}; {@code current} may already name it (a resumed SWITCHING). */
  private Future<Void> finish(Topology current, String target, JsonObject report) {
    Topology next = current.primary().equals(target) ? current.withPhase(Topology.Phase.STABLE, null)
        : current.promoted(target);
    ServerAddress address = ServerAddress.parse(target);
    return save(next.withPhase(Topology.Phase.SWITCHING, target))
        .compose(ignored -> timed(report, "switch", () -> broadcast(
            PhaseCommand.switchTo(next.epoch(), address.host(), address.port()))))
        .compose(ignored -> timed(report, "restore", () -> broadcast(PhaseCommand.restore(next.epoch()))))
        .compose(ignored -> save(next))
        .onSuccess(ignored -> log.info("switchover done: primary {} at epoch {}", target, next.epoch()));
  }

  private Future<List<PhaseAck>> promote(String oldPrimary, String target, long epoch) {
    return servers.run(oldPrimary, flavor.fence())
        .compose(ignored -> servers.value(oldPrimary, flavor.readPosition()))
        .compose(position -> servers.value(target, flavor.waitFor(position == null ? "" : position,
            config.phaseTimeout().toSeconds())))
        .compose(waited -> "0".equals(waited) ? Future.succeededFuture()
            : Future.failedFuture(target + " did not catch up with the old primary (" + waited + ")"))
        .compose(ignored -> servers.value(target, flavor.readPosition()))
        .compose(fork -> servers.run(target, flavor.promote())
            .compose(ignored -> record(new EpochRecord(epoch, target, fork, EpochRecord.SWITCHOVER))))
        .compose(ignored -> servers.run(oldPrimary, follow(target, true)))
        .map(ignored -> List.of());
  }

  /**
   * Writes an epoch's record on its primary, before any node is switched to it: the record (and not
   * configuration or read_only) is what tells a fleet restarted from nothing which server is primary.
   */
  private Future<Void> record(EpochRecord record) {
    return servers.run(record.primary(), record.writeStatements());
  }

  /** The statements that make a server a replica of {@code primary}; {@code wasPrimary} for a demoted primary. */
  private List<String> follow(String primary, boolean wasPrimary) {
    ServerAddress address = ServerAddress.parse(primary);
    return flavor.replicateFrom(address.host(), address.port(), config.replicationUser(), config.replicationPassword(),
        wasPrimary);
  }

  Future<List<PhaseAck>> broadcast(PhaseCommand command) {
    return fleet.send(command);
  }

  private Future<Void> timed(JsonObject report, String phase, java.util.function.Supplier<Future<List<PhaseAck>>> step) {
    long started = System.currentTimeMillis();
    return step.get().map(acks -> {
      JsonArray acked = new JsonArray();
      acks.forEach(ack -> acked.add(ack.toJson()));
      report.put(phase, new JsonObject().put("millis", System.currentTimeMillis() - started).put("acks", acked));
      if ("restore".equals(phase)) { // the client-visible pause: the longest any node held a command
        report.put("longestHoldMillis", acks.stream().mapToLong(PhaseAck::longestHoldMillis).max().orElse(0));
      }
      return null;
    });
  }

  Future<Void> save(Topology topology) {
    if (!leading) {
      return Future.failedFuture("no longer the active coordinator: topology " + topology.toJson().encode() + " not saved");
    }
    return map().compose(map -> map.put(Addresses.TOPOLOGY_KEY, topology.toJson()));
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(Addresses.TOPOLOGY_MAP);
  }
}
