package dev.tether.coordinator;

import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's start without a shared topology (every coordinator restarted): asks every server
 * about itself, decides with {@link DiscoveryRule}, and makes the decision true on the servers — the
 * primary alone is made writable and records the new epoch, every other server that is not a replica
 * of it is fenced. When no primary can be decided, every server that answers is fenced.
 */
final class TopologyDiscovery {
  private static final Logger log = LoggerFactory.getLogger(TopologyDiscovery.class);

  private final ServerSql servers;
  private final ReplicationFlavor flavor;
  private final ServerFactsReader reader;
  private final Fencing fencing;
  private final Function<EpochRecord, Future<Void>> recordEpoch;

  TopologyDiscovery(ServerSql servers, ReplicationFlavor flavor, ServerFactsReader reader, Fencing fencing,
                    Function<EpochRecord, Future<Void>> recordEpoch) {
    this.servers = servers;
    this.flavor = flavor;
    this.reader = reader;
    this.fencing = fencing;
    this.recordEpoch = recordEpoch;
  }

  Future<Topology> discover() {
    return reader.readAll().compose(facts -> {
      DiscoveryRule.Decision decision = DiscoveryRule.decide(facts);
      Topology topology = decision.topology();
      for (ServerFacts server : facts) {
        log.info("discovery: {} {}", server.server(), server.reachable() ? "position " + server.position()
            + ", replicates from " + server.source() + ", newest epoch record " + server.lastEpoch() : "does not answer");
      }
      if (!decision.decided()) {
        log.error("no primary decided: {}; every server stays read-only until an operator decides"
            + " (POST /decide on the admin API)", topology.undecidedReason());
        return fence(facts, null).map(topology);
      }
      ServerFacts primary = facts.stream().filter(f -> f.server().equals(topology.primary())).findFirst().orElseThrow();
      Future<Void> opened = !primary.reachable() ? Future.succeededFuture()
          : servers.run(topology.primary(), flavor.promote()).compose(done -> recordEpoch.apply(
              new EpochRecord(topology.epoch(), topology.primary(), null, EpochRecord.DISCOVERY)));
      return opened.compose(done -> fence(facts, topology)).map(done -> {
        log.info("discovered from the servers: primary {} at epoch {}, replicas {}, detached {}", topology.primary(),
            topology.epoch(), topology.replicas(), topology.detached());
        return topology;
      });
    });
  }

  /** Makes every reachable server but the primary read-only (all of them when undecided): a restart may have left one writable. */
  private Future<Void> fence(List<ServerFacts> facts, Topology topology) {
    List<Future<Void>> fenced = new ArrayList<>();
    for (ServerFacts server : facts) {
      if (server.reachable() && (topology == null || !server.server().equals(topology.primary()))) {
        fenced.add(fencing.fence(server.server(), topology == null ? FenceReason.NO_PRIMARY_DECIDED
            : FenceReason.NOT_THE_DISCOVERED_PRIMARY).recover(e -> {
          log.warn("could not fence {}: {}", server.server(), e.getMessage());
          return Future.succeededFuture();
        }));
      }
    }
    return Future.join(fenced).mapEmpty();
  }
}
