package dev.tether.cluster;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's answer to a {@link PhaseCommand}: whether it applied it (false: stale epoch), where its
 * sessions stood when the phase completed, and (STATUS only) whether the node reaches the primary
 * it follows — its vote when the coordinator suspects the primary is dead — and (RESTORE) the longest
 * a session's command waited during the switchover. Of the sessions in a transaction, how many could
 * be replayed on a new primary right now ({@code replayable}), and why the others could not
 * ({@code notReplayable}: reason label to count; "unseen" for a transaction the node did not record).
 */
public record PhaseAck(String nodeId, PhaseCommand.Phase phase, long epoch, boolean applied, int sessions,
                       int quiescent, int inTransaction, int migrating, long millis, boolean reachesPrimary,
                       long longestHoldMillis, int replayable, Map<String, Integer> notReplayable) {

  public PhaseAck {
    notReplayable = Map.copyOf(notReplayable);
  }

  /** An acknowledgement that says nothing of replayability. */
  public PhaseAck(String nodeId, PhaseCommand.Phase phase, long epoch, boolean applied, int sessions,
                  int quiescent, int inTransaction, int migrating, long millis, boolean reachesPrimary,
                  long longestHoldMillis) {
    this(nodeId, phase, epoch, applied, sessions, quiescent, inTransaction, migrating, millis, reachesPrimary,
        longestHoldMillis, 0, Map.of());
  }

  public JsonObject toJson() {
    JsonObject reasons = new JsonObject();
    new TreeMap<>(notReplayable).forEach(reasons::put);
    return new JsonObject().put("nodeId", nodeId).put("phase", phase.name()).put("epoch", epoch)
        .put("applied", applied).put("sessions", sessions).put("quiescent", quiescent)
        .put("inTransaction", inTransaction).put("migrating", migrating).put("millis", millis)
        .put("reachesPrimary", reachesPrimary).put("longestHoldMillis", longestHoldMillis)
        .put("replayable", replayable).put("notReplayable", reasons);
  }

  public static PhaseAck fromJson(JsonObject json) {
    Map<String, Integer> reasons = new TreeMap<>();
    JsonObject notReplayable = json.getJsonObject("notReplayable", new JsonObject());
    for (String reason : notReplayable.fieldNames()) {
      reasons.put(reason, notReplayable.getInteger(reason));
    }
    return new PhaseAck(json.getString("nodeId"), PhaseCommand.Phase.valueOf(json.getString("phase")),
        json.getLong("epoch"), json.getBoolean("applied"), json.getInteger("sessions"), json.getInteger("quiescent"),
        json.getInteger("inTransaction"), json.getInteger("migrating"), json.getLong("millis"),
        json.getBoolean("reachesPrimary", true), json.getLong("longestHoldMillis", 0L),
        json.getInteger("replayable", 0), reasons);
  }
}
