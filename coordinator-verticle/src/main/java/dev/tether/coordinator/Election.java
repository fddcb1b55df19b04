package dev.tether.coordinator;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which replica becomes the primary: the one rule, best by GTID ({@link #best}), for a planned
 * switchover without a named target (the replica that has applied the most) and for a failover
 * (the replica that received the most from the dead primary, once it applied all of it).
 */
final class Election {
  private final ReplicationControl replication;
  private final ReplicationFlavor flavor;
  private final Clock clock;

  /** A replica and the GTID position it is judged by; null when it did not answer. */
  record Candidate(String server, String position) {}

  Election(ReplicationControl replication, Clock clock) {
    this.replication = replication;
    this.flavor = replication.flavor();
    this.clock = clock;
  }

  /**
   * The rule: the candidate whose position holds the highest GTID sequence; the first of equals
   * (configuration order); none when no candidate answered with a position.
   */
  static Optional<String> best(List<Candidate> candidates) {
    String best = null;
    long bestSequence = -1;
    for (Candidate candidate : candidates) {
      if (candidate.position() == null) {
        continue;
      }
      long sequence = GtidPositions.highestSequence(candidate.position());
      if (sequence > bestSequence) {
        best = candidate.server();
        bestSequence = sequence;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Planned switchover without a target: the reachable replica that has applied the most. */
  Future<String> mostApplied(List<String> replicas) {
    List<Future<String>> positions = new ArrayList<>();
    for (String replica : replicas) {
      positions.add(replication.position(replica).recover(unreachable -> Future.succeededFuture(null)));
    }
    return Future.all(positions).compose(all -> best(candidates(replicas, all.list()))
        .map(Future::succeededFuture)
        .orElseGet(() -> SwitchoverFailure.NO_REACHABLE_REPLICA.fail("no reachable replica")));
  }

  /**
   * Failover: every replica stops receiving from the dead primary; the reachable one that received
   * the most is elected once it applied everything it received.
   */
  Future<String> mostReceived(List<String> replicas) {
    List<Future<String>> received = new ArrayList<>();
    for (String replica : replicas) {
      received.add(replication.servers().run(replica, flavor.stopReceiving())
          .compose(ignored -> replication.replicaStatus(replica))
          .map(status -> status == null ? null : status.getString(flavor.receivedPositionColumn(), ""))
          .recover(unreachable -> Future.succeededFuture(null)));
    }
    return Future.all(received).compose(all -> best(candidates(replicas, all.list()))
        .map(elected -> appliedAllReceived(elected, clock.millis() + replication.config().phaseTimeout().toMillis())
            .map(elected))
        .orElseGet(() -> SwitchoverFailure.NO_REACHABLE_REPLICA.fail("no reachable replica to promote")));
  }

  private static List<Candidate> candidates(List<String> replicas, List<String> positions) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      candidates.add(new Candidate(replicas.get(i), positions.get(i)));
    }
    return candidates;
  }

  /**
   * Waits until {@code replica} applied everything it received: its received GTID position is
   * applied, or its SQL thread has read the whole relay log (a transaction cut off mid-stream when
   * the primary died can never be applied, and, unacknowledged, must not be).
   */
  private Future<Void> appliedAllReceived(String replica, long deadlineMillis) {
    return replication.replicaStatus(replica)
        .compose(status -> {
          if (flavor.readAllReceived(status)) {
            return Future.succeededFuture("0");
          }
          return replication.servers().value(replica, flavor.waitFor(
              status == null ? "" : status.getString(flavor.receivedPositionColumn(), ""), 1));
        })
        .compose(waited -> {
          if ("0".equals(waited)) {
            return Future.succeededFuture();
          }
          if (clock.millis() > deadlineMillis) {
            return SwitchoverFailure.RELAY_LOG_NOT_APPLIED.fail(replica + " did not apply its relay log in time");
          }
          return appliedAllReceived(replica, deadlineMillis);
        });
  }
}
