package dev.tether.coordinator;

import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import dev.tether.cluster.Topology.DetachReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which server is the primary, decided from what the servers say about themselves when a coordinator
 * starts without a shared topology (every coordinator restarted). The newest epoch record on any
 * server names the primary; without records, the one server that replicates from nobody while the
 * others follow it. Configuration order and read_only are never evidence. When the servers do not
 * name one primary safely, the decision is {@link Topology.Phase#UNDECIDED}, with the reason.
 */
final class DiscoveryRule {
  private DiscoveryRule() {}

  /** Why no primary could be named. */
  enum Undecided {
    NO_SERVER_ANSWERS("no configured server answers"),
    CONFLICTING_RECORDS("two servers record different primaries for the same epoch"),
    RECORDED_PRIMARY_REPLICATES("the recorded primary replicates from another server"),
    SEVERAL_CANDIDATES("several servers replicate from nobody and no epoch record says which is the primary"),
    NO_CANDIDATE("every server replicates and no epoch record names a primary");

    final String text;

    Undecided(String text) {
      this.text = text;
    }
  }

  /** The decided topology, and the fleet's epoch history merged from every server's records. */
  record Decision(Topology topology, List<EpochRecord> history) {
    boolean decided() {
      return topology.phase() != Topology.Phase.UNDECIDED;
    }
  }

  static Decision decide(List<ServerFacts> facts) {
    Map<String, ServerFacts> byServer = new HashMap<>();
    facts.forEach(f -> byServer.put(f.server(), f));
    List<ServerFacts> reachable = facts.stream().filter(ServerFacts::reachable).toList();
    TreeMap<Long, EpochRecord> history = new TreeMap<>();
    for (ServerFacts server : reachable) {
      for (EpochRecord record : server.records()) {
        EpochRecord seen = history.putIfAbsent(record.epoch(), record);
        if (seen != null && !seen.primary().equals(record.primary())) {
          return undecided(facts, record.epoch(), Undecided.CONFLICTING_RECORDS,
              "epoch " + record.epoch() + ": " + seen.primary() + " and " + record.primary());
        }
      }
    }
    long newest = history.isEmpty() ? -1 : history.lastKey();
    if (reachable.isEmpty()) {
      return undecided(facts, newest, Undecided.NO_SERVER_ANSWERS, String.join(", ", byServer.keySet()));
    }
    String primary;
    if (newest >= 0) {
      primary = history.get(newest).primary();
      ServerFacts recorded = byServer.get(primary);
      if (recorded != null && recorded.reachable() && recorded.source() != null) {
        return undecided(facts, newest, Undecided.RECORDED_PRIMARY_REPLICATES,
            primary + " (epoch " + newest + ") replicates from " + recorded.source());
      }
    } else {
      List<String> roots = reachable.stream().filter(f -> f.source() == null).map(ServerFacts::server).toList();
      if (roots.size() > 1) {
        return undecided(facts, newest, Undecided.SEVERAL_CANDIDATES, String.join(", ", roots));
      }
      primary = roots.size() == 1 ? roots.get(0) : commonUnreachableSource(reachable, byServer);
      if (primary == null) {
        return undecided(facts, newest, Undecided.NO_CANDIDATE, "");
      }
    }
    List<String> replicas = new ArrayList<>();
    List<Topology.Detached> detached = new ArrayList<>();
    for (ServerFacts server : facts) {
      if (server.server().equals(primary)) {
        continue;
      }
      if (!server.reachable()) {
        detached.add(new Topology.Detached(server.server(), DetachReason.UNREACHABLE, "did not answer at discovery", null));
      } else if (follows(server, primary, byServer)) {
        replicas.add(server.server());
      } else if (server.source() == null && wasPrimaryAtItsLastEpoch(server)) {
        detached.add(new Topology.Detached(server.server(), DetachReason.SUPERSEDED_PRIMARY,
            "primary at epoch " + server.lastEpoch() + ", replaced by " + primary, null));
      } else {
        detached.add(new Topology.Detached(server.server(), DetachReason.NOT_REPLICATING,
            server.source() == null ? "replicates from nobody" : "replicates from " + server.source(), null));
      }
    }
    Topology topology = new Topology(newest + 1, primary, replicas, Topology.Phase.STABLE, null, detached, null);
    return new Decision(topology, List.copyOf(history.values()));
  }

  /** Whether {@code server}'s chain of replication sources leads to {@code primary}. */
  private static boolean follows(ServerFacts server, String primary, Map<String, ServerFacts> byServer) {
    ServerFacts at = server;
    for (int hops = 0; hops < byServer.size() && at != null && at.source() != null; hops++) {
      String source = configuredName(at.source(), byServer);
      if (primary.equals(source)) {
        return true;
      }
      at = source == null ? null : byServer.get(source);
    }
    return false;
  }

  private static boolean wasPrimaryAtItsLastEpoch(ServerFacts server) {
    return !server.records().isEmpty() && server.server().equals(server.records().get(server.records().size() - 1).primary());
  }

  /** Every reachable server replicates, all (in the end) from the same configured server that does not answer. */
  private static String commonUnreachableSource(List<ServerFacts> reachable, Map<String, ServerFacts> byServer) {
    String common = null;
    for (ServerFacts server : reachable) {
      ServerFacts at = server;
      String root = null;
      for (int hops = 0; hops <= byServer.size() && at != null; hops++) {
        root = configuredName(at.source(), byServer);
        at = root == null ? null : byServer.get(root);
        if (at != null && !at.reachable()) {
          break;
        }
      }
      if (root == null || byServer.get(root) == null || byServer.get(root).reachable()
          || (common != null && !common.equals(root))) {
        return null;
      }
      common = root;
    }
    return common;
  }

  /** The configured server a replication source names ("host:port" compared as an address), or null. */
  private static String configuredName(String source, Map<String, ServerFacts> byServer) {
    if (source == null) {
      return null;
    }
    ServerAddress wanted = ServerAddress.parse(source);
    return byServer.keySet().stream().filter(server -> ServerAddress.parse(server).sameServer(wanted)).findFirst()
        .orElse(null);
  }

  private static Decision undecided(List<ServerFacts> facts, long newest, Undecided why, String detail) {
    List<Topology.Detached> fenced = new ArrayList<>();
    for (ServerFacts server : facts) {
      fenced.add(new Topology.Detached(server.server(), server.reachable() ? DetachReason.NOT_REPLICATING
          : DetachReason.UNREACHABLE, "no primary decided", null));
    }
    return new Decision(Topology.undecided(Math.max(newest, 0), fenced, why.name() + ": " + why.text
        + (detail.isEmpty() ? "" : " (" + detail + ")")), List.of());
  }
}
