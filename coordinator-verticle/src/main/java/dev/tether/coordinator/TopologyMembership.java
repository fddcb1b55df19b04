package dev.tether.coordinator;

import dev.tether.cluster.Topology;
import dev.tether.cluster.Topology.DetachReason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which servers are in the topology, changed outside a switchover: a fenced server rejoined (by
 * itself when {@code coordinator.autoRejoin}, or on an operator's {@code ./tether rejoin}), a replica
 * removed from or added back to the topology, and an operator's decision of the primary when the
 * servers could not tell. Each change runs exclusively of switchovers and is saved in the shared
 * topology.
 */
record TopologyMembership(TopologyStore store, RunGuard runs, Rejoiner rejoiner, ReplicationControl replication) {
  private static final Logger log = LoggerFactory.getLogger(TopologyMembership.class);

  /** Examines one fenced server now: rejoined if its history allows, else detached with the reason. */
  Future<JsonObject> rejoin(String server) {
    return change(server, Topology.Phase.STABLE, current -> {
      if (!current.isDetached(server)) {
        return MembershipRefusal.NOT_DETACHED.fail(server + " is not detached (replicas: " + current.replicas() + ")");
      }
      return rejoiner.examine(current, server);
    });
  }

  /** The automatic rejoin: every detached server but those an operator removed, examined once. */
  Future<Void> rejoinDetached() {
    if (!replication.config().autoRejoin() || runs.busy()) {
      return Future.succeededFuture();
    }
    return runs.exclusively(() -> store.topology().compose(current -> {
      if (current.phase() != Topology.Phase.STABLE) {
        return Future.succeededFuture();
      }
      Future<Topology> chain = Future.succeededFuture(current);
      for (Topology.Detached fenced : current.detached()) {
        if (fenced.reason() != DetachReason.REMOVED_BY_OPERATOR) {
          chain = chain.compose(t -> rejoiner.examine(t, fenced.server()));
        }
      }
      return chain.compose(next -> next.equals(current) ? Future.succeededFuture() : store.save(next));
    }));
  }

  /**
   * One round of repair, while nothing else runs: the servers are asked again while no primary is
   * decided, and once the topology is stable fenced servers whose history allows it are taken back.
   */
  void repair() {
    if (runs.busy()) {
      return;
    }
    store.rediscover()
        .compose(topology -> topology.phase() == Topology.Phase.STABLE ? rejoinDetached() : Future.succeededFuture())
        .onFailure(e -> log.debug("topology repair round failed: {}", e.getMessage()));
  }

  /** Takes a replica out: it is no longer elected or re-pointed (its replication is left running). */
  Future<JsonObject> remove(String server) {
    return change(server, Topology.Phase.STABLE, current -> current.replicas().contains(server)
        ? Future.succeededFuture(current.detaching(new Topology.Detached(server, DetachReason.REMOVED_BY_OPERATOR,
            "removed by an operator", null)))
        : MembershipRefusal.NOT_A_REPLICA.fail(server + " is not a replica of " + current.primary()));
  }

  /** Takes a removed or detached server back, once it has caught up with the primary. */
  Future<JsonObject> add(String server) {
    return change(server, Topology.Phase.STABLE, current -> {
      if (!current.isDetached(server)) {
        return MembershipRefusal.NOT_DETACHED.fail(server + " is not detached");
      }
      return replication.position(current.primary())
          .compose(position -> replication.waitFor(server, position)
              .recover(notReplicating -> Future.succeededFuture("not replicating")))
          .compose(caughtUp -> rejoiner.examine(current, server));
    });
  }

  /** An operator's decision while no primary is decided: {@code primary} is made writable under a new epoch. */
  Future<JsonObject> decide(String primary) {
    return change(primary, Topology.Phase.UNDECIDED, current -> {
      long epoch = current.epoch() + 1;
      log.warn("operator decision: {} is the primary at epoch {}", primary, epoch);
      Topology decided = new Topology(epoch, primary, java.util.List.of(), Topology.Phase.STABLE, null,
          current.detached().stream().filter(d -> !d.server().equals(primary)).toList(), null);
      return replication.promote(primary)
          .compose(done -> store.record(new EpochRecord(epoch, primary, null, EpochRecord.OPERATOR)))
          .map(done -> decided);
    });
  }

  private Future<JsonObject> change(String server, Topology.Phase required,
                                    java.util.function.Function<Topology, Future<Topology>> step) {
    if (!replication.config().servers().contains(server)) {
      return MembershipRefusal.NOT_CONFIGURED.fail(
          server + " is not a configured server " + replication.config().servers());
    }
    return runs.exclusively(() -> store.topology().compose(current -> {
      if (current.phase() != required) {
        return MembershipRefusal.WRONG_PHASE.fail("not while the topology is " + current.phase()
            + (current.undecidedReason() == null ? "" : " (" + current.undecidedReason() + ")"));
      }
      return step.apply(current).compose(next -> store.save(next).map(next.toJson()));
    }));
  }
}
