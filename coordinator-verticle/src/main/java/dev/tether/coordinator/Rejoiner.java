package dev.tether.coordinator;

import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import dev.tether.cluster.Topology.DetachReason;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a fenced server back into the topology as a replica of the primary when its GTID history
 * allows it (as MaxScale's auto_rejoin does): it holds nothing the primary lacks. A server that
 * holds transactions the primary never received (a crash before a semi-sync acknowledgement, or
 * writes on a stale primary) stays fenced and detached, and the topology lists those transactions.
 */
final class Rejoiner {
  private static final Logger log = LoggerFactory.getLogger(Rejoiner.class);

  private final ReplicationControl replication;
  private final ServerFactsReader reader;
  private final Fencing fencing;

  Rejoiner(ReplicationControl replication, ServerFactsReader reader, Fencing fencing) {
    this.replication = replication;
    this.reader = reader;
    this.fencing = fencing;
  }

  /** The topology after looking at {@code server} once: rejoined, still detached (with a fresh reason), or unchanged when it does not answer. */
  Future<Topology> examine(Topology topology, String server) {
    String primary = topology.primary();
    return reader.read(server).compose(facts -> {
      if (!facts.reachable()) {
        return Future.succeededFuture(topology);
      }
      if (facts.sourceRunning() && facts.source() != null
          && ServerAddress.parse(facts.source()).sameServer(ServerAddress.parse(primary))) {
        log.info("{} replicates from the primary {} again: back in the topology", server, primary);
        return Future.succeededFuture(topology.rejoined(server));
      }
      return reader.read(primary).compose(primaryFacts -> {
        if (!primaryFacts.reachable()) {
          return Future.succeededFuture(topology);
        }
        if (facts.records().isEmpty() && !facts.position().isEmpty()) {
          return keepFenced(topology, server, DetachReason.UNKNOWN_HISTORY,
              "no Tether epoch record, position " + facts.position(), null);
        }
        String fork = forkAfter(facts.lastEpoch(), primaryFacts);
        String extraQuery = replication.flavor().extraTransactionsQuery(facts.position(), fork);
        return replication.servers().value(primary, extraQuery).compose(extra -> {
          if (extra != null && !extra.isEmpty()) {
            return keepFenced(topology, server, DetachReason.DIVERGED,
                "holds transactions " + primary + " never received (its history parted at " + fork + ")", extra);
          }
          return rejoin(topology, server, facts);
        });
      });
    }).recover(e -> {
      log.warn("could not examine {} for rejoining: {}", server, e.getMessage());
      return Future.succeededFuture(topology);
    });
  }

  private Future<Topology> rejoin(Topology topology, String server, ServerFacts facts) {
    log.warn("rejoining {} as a replica of {}: it holds nothing the primary lacks (position {})", server,
        topology.primary(), facts.position());
    return replication.follow(server, topology.primary(), true).map(done -> topology.rejoined(server));
  }

  private Future<Topology> keepFenced(Topology topology, String server, DetachReason reason, String detail,
                                      String extra) {
    Topology.Detached now = new Topology.Detached(server, reason, detail, extra);
    boolean changed = topology.detached().stream().noneMatch(d -> d.equals(now));
    if (changed) {
      log.warn("{} stays fenced and detached: {} {}{}", server, reason, detail, extra == null ? "" : ": " + extra);
    }
    return fencing.fence(server, FenceReason.KEPT_DETACHED).map(done -> topology.detaching(now));
  }

  /**
   * Where the primary's history parted from a server last in epoch {@code lastEpoch}: the fork of
   * the first later epoch that changed the primary, else the primary's current position.
   */
  static String forkAfter(long lastEpoch, ServerFacts primary) {
    for (EpochRecord record : primary.records()) {
      if (record.epoch() > lastEpoch && record.forkPosition() != null) {
        return record.forkPosition();
      }
    }
    return primary.position();
  }
}
