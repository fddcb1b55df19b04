package dev.tether.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's view of the database servers: which one is the primary under which epoch, the
 * replicas, the servers kept fenced and out of the topology (with why), and the switchover phase in
 * progress (kept in Hazelcast, so a standby coordinator can resume or roll back a switchover the
 * active one did not finish). Under {@link Phase#UNDECIDED} there is no primary: nothing is writable.
 */
public record Topology(long epoch, String primary, List<String> replicas, Phase phase, String target,
                       List<Detached> detached, String undecidedReason) {

  public enum Phase {
    /** No switchover in progress. */
    STABLE,
    /** Proxies are holding new work; the old primary is still the primary. */
    BLOCKING,
    /** The new primary is being promoted (the old one is read-only). */
    PROMOTING,
    /** Proxies are moving their sessions to the new primary. */
    SWITCHING,
    /** The servers do not say safely which one is the primary: every server stays read-only until an operator decides. */
    UNDECIDED
  }

  /** Why a server is kept read-only and out of the topology. */
  public enum DetachReason {
    /** It did not answer when the topology was decided or when it was last checked. */
    UNREACHABLE,
    /** A primary that another server replaced (a failover, or a discovery that found a newer epoch). */
    SUPERSEDED_PRIMARY,
    /** It replicates from no server, or from one that is not in the topology. */
    NOT_REPLICATING,
    /** It holds transactions the primary never received: re-pointing it would lose them or break replication. */
    DIVERGED,
    /** It has no Tether epoch record, so whether it holds anything the primary lacks cannot be told. */
    UNKNOWN_HISTORY,
    /** An operator took it out ({@code ./tether replica remove}). */
    REMOVED_BY_OPERATOR
  }

  /** A server kept read-only and out of replication, and why: {@code extraTransactions} it holds that the primary lacks, if any. */
  public record Detached(String server, DetachReason reason, String detail, String extraTransactions) {
    public JsonObject toJson() {
      return new JsonObject().put("server", server).put("reason", reason.name()).put("detail", detail)
          .put("extraTransactions", extraTransactions);
    }

    static Detached fromJson(JsonObject json) {
      return new Detached(json.getString("server"), DetachReason.valueOf(json.getString("reason")),
          json.getString("detail"), json.getString("extraTransactions"));
    }
  }

  public Topology {
    replicas = List.copyOf(replicas);
    detached = List.copyOf(detached);
  }

  public Topology(long epoch, String primary, List<String> replicas, Phase phase, String target) {
    this(epoch, primary, replicas, phase, target, List.of(), null);
  }

  /** No primary can be named safely: {@code reason} says why, for the admin API and the log. */
  public static Topology undecided(long epoch, List<Detached> fenced, String reason) {
    return new Topology(epoch, null, List.of(), Phase.UNDECIDED, null, fenced, reason);
  }

  public Topology withPhase(Phase next, String nextTarget) {
    return new Topology(epoch, primary, replicas, next, nextTarget, detached, undecidedReason);
  }

  /** The topology after {@code newPrimary} took over: a new epoch, the old primary among the replicas. */
  public Topology promoted(String newPrimary) {
    List<String> others = new ArrayList<>(replicas);
    others.remove(newPrimary);
    others.add(0, primary);
    return new Topology(epoch + 1, newPrimary, others, Phase.STABLE, null, withoutDetached(newPrimary), null);
  }

  /** A server taken out of the replicas and kept fenced, with its reason. */
  public Topology detaching(Detached fencedServer) {
    List<String> others = new ArrayList<>(replicas);
    others.remove(fencedServer.server());
    List<Detached> fenced = new ArrayList<>(withoutDetached(fencedServer.server()));
    fenced.add(fencedServer);
    return new Topology(epoch, primary, others, phase, target, fenced, undecidedReason);
  }

  /** {@code server} back among the replicas (it follows the primary again). */
  public Topology rejoined(String server) {
    List<String> others = new ArrayList<>(replicas);
    if (!others.contains(server)) {
      others.add(server);
    }
    return new Topology(epoch, primary, others, phase, target, withoutDetached(server), undecidedReason);
  }

  public boolean isDetached(String server) {
    return detached.stream().anyMatch(d -> d.server().equals(server));
  }

  private List<Detached> withoutDetached(String server) {
    return detached.stream().filter(d -> !d.server().equals(server)).toList();
  }

  public JsonObject toJson() {
    JsonArray fenced = new JsonArray();
    detached.forEach(d -> fenced.add(d.toJson()));
    return new JsonObject().put("epoch", epoch).put("primary", primary).put("replicas", new JsonArray(replicas))
        .put("phase", phase.name()).put("target", target).put("detached", fenced).put("undecidedReason", undecidedReason);
  }

  public static Topology fromJson(JsonObject json) {
    JsonArray fenced = json.getJsonArray("detached", new JsonArray());
    List<Detached> detached = new ArrayList<>();
    for (int i = 0; i < fenced.size(); i++) {
      detached.add(Detached.fromJson(fenced.getJsonObject(i)));
    }
    return new Topology(json.getLong("epoch"), json.getString("primary"),
        json.getJsonArray("replicas").stream().map(String::valueOf).toList(), Phase.valueOf(json.getString("phase")),
        json.getString("target"), detached, json.getString("undecidedReason"));
  }
}
