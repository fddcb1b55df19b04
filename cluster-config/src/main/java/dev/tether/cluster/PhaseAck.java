package dev.tether.cluster;

import io.vertx.core.json.JsonObject;

/**
 * A node's answer to a {@link PhaseCommand}: whether it applied it (false: stale epoch), where its
 * sessions stood when the phase completed, and (STATUS only) whether the node reaches the primary
 * it follows — its vote when the coordinator suspects the primary is dead — and (RESTORE) the longest
 * a session's command waited during the switchover.
 */
public record PhaseAck(String nodeId, PhaseCommand.Phase phase, long epoch, boolean applied, int sessions,
                       int quiescent, int inTransaction, int migrating, long millis, boolean reachesPrimary,
                       long longestHoldMillis) {

  public JsonObject toJson() {
    return new JsonObject().put("nodeId", nodeId).put("phase", phase.name()).put("epoch", epoch)
        .put("applied", applied).put("sessions", sessions).put("quiescent", quiescent)
        .put("inTransaction", inTransaction).put("migrating", migrating).put("millis", millis)
        .put("reachesPrimary", reachesPrimary).put("longestHoldMillis", longestHoldMillis);
  }

  public static PhaseAck fromJson(JsonObject json) {
    return new PhaseAck(json.getString("nodeId"), PhaseCommand.Phase.valueOf(json.getString("phase")),
        json.getLong("epoch"), json.getBoolean("applied"), json.getInteger("sessions"), json.getInteger("quiescent"),
        json.getInteger("inTransaction"), json.getInteger("migrating"), json.getLong("millis"),
        json.getBoolean("reachesPrimary", true), json.getLong("longestHoldMillis", 0L));
  }
}
