package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.Topology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The one owner of the fleet's two records of truth: the shared topology in Hazelcast (read by
 * every coordinator and node, written only while this coordinator leads) and the epoch records on
 * the servers themselves ({@link EpochRecord}). Without a shared topology, the servers are asked
 * ({@link TopologyDiscovery}) and the decision is saved once.
 */
final class TopologyStore {
  private final Vertx vertx;
  private final ServerSql servers;
  private final Leadership leadership;
  private final TopologyDiscovery discovery;
  /** The discovery under way when several callers find no shared topology at once: one discovery, one epoch. */
  private Future<Topology> discovering;

  TopologyStore(Vertx vertx, ServerSql servers, ReplicationFlavor flavor, Leadership leadership,
                ServerFactsReader facts, Fencing fencing) {
    this.vertx = vertx;
    this.servers = servers;
    this.leadership = leadership;
    this.discovery = new TopologyDiscovery(servers, flavor, facts, fencing, this::record);
  }

  /** The shared topology, discovered from the servers (and saved) when there is none. */
  Future<Topology> topology() {
    return map().compose(map -> map.get(Addresses.TOPOLOGY_KEY))
        .compose(json -> json != null ? Future.succeededFuture(Topology.fromJson(json)) : discover());
  }

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

  /** Saves {@code topology} as the fleet's, only while this coordinator leads. */
  Future<Void> save(Topology topology) {
    if (!leadership.leading()) {
      return SwitchoverFailure.NOT_LEADING.fail("no longer the active coordinator: topology "
          + topology.toJson().encode() + " not saved");
    }
    return map().compose(map -> map.put(Addresses.TOPOLOGY_KEY, topology.toJson()));
  }

  /**
   * Writes an epoch's record on its primary, before any node is switched to it: the record (and not
   * configuration or read_only) is what tells a fleet restarted from nothing which server is primary.
   */
  Future<Void> record(EpochRecord record) {
    return servers.run(record.primary(), record.writeStatements());
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(Addresses.TOPOLOGY_MAP);
  }
}
