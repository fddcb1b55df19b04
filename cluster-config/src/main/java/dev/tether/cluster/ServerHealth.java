package dev.tether.cluster;

import io.vertx.core.json.JsonObject;

/**
 * One database server as the active coordinator last read it: whether it answered, its role and
 * read_only, its executed GTID position, and for a replica whether both replication threads run and
 * how far it lags (seconds, null when the server cannot say: a stopped SQL thread, or no replica).
 */
public record ServerHealth(String server, boolean reachable, Role role, boolean readOnly, String gtidPosition,
                           Boolean replicating, Long lagSeconds, long checkedAtMillis, String error) {

  public enum Role {
    PRIMARY, REPLICA,
    /** Neither the primary nor replicating: a fenced old primary, or a server not yet set up. */
    DETACHED,
    /** Did not answer. */
    UNKNOWN
  }

  public static ServerHealth unreachable(String server, long checkedAtMillis, String error) {
    return new ServerHealth(server, false, Role.UNKNOWN, false, null, null, null, checkedAtMillis, error);
  }

  public JsonObject toJson() {
    return new JsonObject().put("server", server).put("reachable", reachable).put("role", role.name())
        .put("readOnly", readOnly).put("gtidPosition", gtidPosition).put("replicating", replicating)
        .put("lagSeconds", lagSeconds).put("checkedAtMillis", checkedAtMillis).put("error", error);
  }

  public static ServerHealth fromJson(JsonObject json) {
    return new ServerHealth(json.getString("server"), json.getBoolean("reachable"), Role.valueOf(json.getString("role")),
        json.getBoolean("readOnly"), json.getString("gtidPosition"), json.getBoolean("replicating"),
        json.getLong("lagSeconds"), json.getLong("checkedAtMillis"), json.getString("error"));
  }
}
