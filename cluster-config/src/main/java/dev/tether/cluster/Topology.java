package dev.tether.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The fleet's view of the database servers: which one is the primary under which epoch, the
 * replicas, and the switchover phase in progress (kept in Hazelcast, so a standby coordinator can
 * resume or roll back a switchover the active one did not finish).
 */
public record Topology(long epoch, String primary, List<String> replicas, Phase phase, String target) {

  public enum Phase {
    /** No switchover in progress. */
    STABLE,
    /** Proxies are holding new work; the old primary is still the primary. */
    BLOCKING,
    /** The new primary is being promoted (the old one is read-only). */
    PROMOTING,
    /** Proxies are moving their sessions to the new primary. */
    SWITCHING
  }

  public Topology {
    replicas = List.copyOf(replicas);
  }

  public Topology withPhase(Phase next, String nextTarget) {
    return new Topology(epoch, primary, replicas, next, nextTarget);
  }

  /** The topology after {@code newPrimary} took over: a new epoch, the old primary among the replicas. */
  public Topology promoted(String newPrimary) {
    List<String> others = new java.util.ArrayList<>(replicas);
    others.remove(newPrimary);
    others.add(0, primary);
    return new Topology(epoch + 1, newPrimary, others, Phase.STABLE, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("epoch", epoch).put("primary", primary).put("replicas", new JsonArray(replicas))
        .put("phase", phase.name()).put("target", target);
  }

  public static Topology fromJson(JsonObject json) {
    return new Topology(json.getLong("epoch"), json.getString("primary"),
        json.getJsonArray("replicas").stream().map(String::valueOf).toList(), Phase.valueOf(json.getString("phase")),
        json.getString("target"));
  }
}
