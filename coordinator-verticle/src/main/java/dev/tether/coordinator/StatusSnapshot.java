package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;

/**
 * Everything an operator looks at, in one JSON document ({@code GET /status}; the status page and
 * {@code ./tether status} render it): the active coordinator, the topology with every server's
 * last health reading, every registered node with its sessions by state, and the recent
 * switchovers. A part that cannot be read is left out with an error; the rest is still shown.
 */
final class StatusSnapshot {
  private StatusSnapshot() {}

  static Future<JsonObject> read(Vertx vertx, CoordinatorConfig config, String coordinatorId, String adminAddress,
                                 Coordination parts) {
    JsonObject status = new JsonObject().put("readAtMillis", parts.clock.millis())
        .put("coordinator", new JsonObject().put("nodeId", coordinatorId).put("admin", adminAddress).put("active", true));
    Future<JsonObject> topology = parts.store.topology().compose(t ->
        ServerMonitor.readings(vertx, config.servers()).map(servers -> t.toJson().put("servers", servers)));
    Future<Map<String, JsonObject>> registered = vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP)
        .compose(AsyncMap::entries);
    Future<JsonObject> sessions = parts.fleet.sessions();
    Future<JsonArray> switchovers = parts.recorder.history().recent();
    return Future.join(topology, registered, sessions, switchovers).transform(ignored -> {
      part(status, "topology", topology);
      part(status, "switchovers", switchovers);
      if (sessions.succeeded()) {
        JsonObject totals = sessions.result().copy();
        totals.remove("nodes");
        status.put("sessions", totals);
      }
      status.put("nodes", nodes(registered.succeeded() ? registered.result() : Map.of(),
          sessions.succeeded() ? sessions.result().getJsonArray("nodes") : new JsonArray()));
      return Future.succeededFuture(status);
    });
  }

  /** Every registered node (address from its registration) with its answer to STATUS, if it answered. */
  private static JsonArray nodes(Map<String, JsonObject> registered, JsonArray acks) {
    JsonArray nodes = new JsonArray();
    registered.keySet().stream().sorted().forEach(nodeId -> {
      JsonObject node = new JsonObject().put("nodeId", nodeId).mergeIn(registered.get(nodeId)).put("answered", false);
      for (int i = 0; i < acks.size(); i++) {
        JsonObject ack = acks.getJsonObject(i);
        if (nodeId.equals(ack.getString("nodeId"))) {
          node.put("answered", true).put("sessions", ack.getInteger("sessions"))
              .put("quiescent", ack.getInteger("quiescent")).put("inTransaction", ack.getInteger("inTransaction"))
              .put("migrating", ack.getInteger("migrating")).put("reachesPrimary", ack.getBoolean("reachesPrimary"));
        }
      }
      nodes.add(node);
    });
    return nodes;
  }

  private static void part(JsonObject status, String name, Future<?> part) {
    if (part.succeeded()) {
      status.put(name, part.result());
    } else {
      status.put(name + "Error", String.valueOf(part.cause().getMessage()));
    }
  }
}
