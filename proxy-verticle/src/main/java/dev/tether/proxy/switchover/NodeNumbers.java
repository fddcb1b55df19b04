package dev.tether.proxy.switchover;

import dev.tether.cluster.Addresses;
import dev.tether.proxy.session.ConnectionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases this node a fleet-unique node number (1-255) for its connection ids, from the shared
 * node-numbers map: the first free number at or after one derived from the node id, taken with
 * putIfAbsent and a time to live the node renews while it runs, so a crashed node's number comes
 * free again. A node without a cluster uses the fixed number 0.
 */
public final class NodeNumbers {
  private static final Logger log = LoggerFactory.getLogger(NodeNumbers.class);
  private static final long TTL_MILLIS = 30_000;

  private final Vertx vertx;
  private final String nodeId;
  private AsyncMap<Integer, String> map;
  private int number;
  private long renewTimer = -1;

  public NodeNumbers(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  /** Leases a number (0 when not clustered) and keeps renewing it until {@link #release}. */
  public Future<Integer> lease() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(0);
    }
    int first = 1 + Math.floorMod(nodeId.hashCode(), ConnectionIds.MAX_NODE);
    return vertx.sharedData().<Integer, String>getAsyncMap(Addresses.NODE_NUMBERS_MAP)
        .compose(shared -> {
          map = shared;
          return tryNumber(first, 0);
        })
        .onSuccess(taken -> {
          number = taken;
          log.info("node {} holds node number {}", nodeId, taken);
          map.put(number, nodeId, TTL_MILLIS); // a number held from before starts a full time to live
          renewTimer = vertx.setPeriodic(TTL_MILLIS / 3, id -> map.put(number, nodeId, TTL_MILLIS));
        });
  }

  private Future<Integer> tryNumber(int candidate, int tried) {
    if (tried >= ConnectionIds.MAX_NODE) {
      return Future.failedFuture("no free node number: " + ConnectionIds.MAX_NODE + " nodes hold one");
    }
    return map.putIfAbsent(candidate, nodeId, TTL_MILLIS).compose(holder -> holder == null || holder.equals(nodeId)
        ? Future.succeededFuture(candidate)
        : tryNumber(candidate % ConnectionIds.MAX_NODE + 1, tried + 1));
  }

  public Future<Void> release() {
    if (renewTimer >= 0) {
      vertx.cancelTimer(renewTimer);
    }
    return map == null ? Future.succeededFuture() : map.removeIfPresent(number, nodeId).mapEmpty();
  }
}
