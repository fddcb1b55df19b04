package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.ServerHealth;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active coordinator's reading of every configured server, each monitor interval, through the
 * Vert.x MySQL client: reachable, read_only, executed GTID position, and for replicas the
 * replication threads and lag. Readings go to a Hazelcast map, so the admin API of whichever
 * coordinator is active shows them, and a replica that stops replicating is logged when it happens.
 */
final class ServerMonitor {
  private static final Logger log = LoggerFactory.getLogger(ServerMonitor.class);

  private final Vertx vertx;
  private final ReplicationControl replication;
  private final TopologyStore store;
  private final CoordinatorMetrics metrics;
  private final Clock clock;
  private boolean reading;

  ServerMonitor(Vertx vertx, ReplicationControl replication, TopologyStore store, CoordinatorMetrics metrics,
                Clock clock) {
    this.vertx = vertx;
    this.replication = replication;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The last reading of every configured server, in configuration order (servers not yet read are left out). */
  static Future<JsonArray> readings(Vertx vertx, List<String> servers) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.HEALTH_MAP).compose(AsyncMap::entries)
        .map(entries -> {
          JsonArray result = new JsonArray();
          for (String server : servers) {
            if (entries.containsKey(server)) {
              result.add(entries.get(server));
            }
          }
          return result;
        });
  }

  /** One reading of every server, each {@code coordinator.monitorInterval}. */
  void readAll() {
    if (reading) {
      return; // the previous round is still waiting on a slow server
    }
    reading = true;
    CoordinatorConfig config = replication.config();
    ReplicationFlavor flavor = replication.flavor();
    long timeout = Math.max(500, Math.min(config.monitorInterval().toMillis(), config.phaseTimeout().toMillis()));
    String variables = "SELECT @@GLOBAL.read_only AS read_only, (" + flavor.readPosition() + ") AS position";
    store.topology().compose(topology -> {
      List<Future<ServerHealth>> readings = new ArrayList<>();
      for (String server : config.servers()) {
        readings.add(replication.servers().rows(server, List.of(variables, flavor.replicaStatus()), timeout)
            .map(rows -> health(server, topology.primary(), rows.get(0), rows.get(1), flavor, clock.millis()))
            .recover(e -> Future.succeededFuture(ServerHealth.unreachable(server, clock.millis(),
                String.valueOf(e.getMessage())))));
      }
      return Future.all(readings).compose(all -> vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.HEALTH_MAP)
          .compose(map -> {
            List<Future<Void>> writes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
              ServerHealth now = all.resultAt(i);
              metrics.reading(now);
              writes.add(map.get(now.server()).compose(before -> {
                warnOnChange(before == null ? null : ServerHealth.fromJson(before), now);
                return map.put(now.server(), now.toJson());
              }));
            }
            return Future.all(writes);
          }));
    }).onFailure(e -> log.debug("server monitor round failed: {}", e.getMessage()))
        .onComplete(done -> reading = false);
  }

  private static void warnOnChange(ServerHealth before, ServerHealth now) {
    if (before == null || before.reachable() != now.reachable()) {
      if (!now.reachable()) {
        log.warn("server {} does not answer: {}", now.server(), now.error());
      }
      return;
    }
    if (Boolean.TRUE.equals(before.replicating()) && Boolean.FALSE.equals(now.replicating())) {
      log.warn("replica {} stopped replicating", now.server());
    }
  }

  /** Turns one server's two first rows (variables, replica status or null) into its health. */
  static ServerHealth health(String server, String primary, JsonObject variables, JsonObject status,
                             ReplicationFlavor flavor, long now) {
    boolean readOnly = !"0".equals(String.valueOf(variables.getValue("read_only")));
    ServerHealth.Role role = server.equals(primary) ? ServerHealth.Role.PRIMARY
        : status != null ? ServerHealth.Role.REPLICA : ServerHealth.Role.DETACHED;
    Boolean replicating = status == null ? null
        : "Yes".equals(status.getString(flavor.ioRunningColumn())) && "Yes".equals(status.getString(flavor.sqlRunningColumn()));
    Object lag = status == null ? null : status.getValue(flavor.lagColumn());
    Long lagSeconds = lag instanceof Number n ? Long.valueOf(n.longValue())
        : lag == null || String.valueOf(lag).isEmpty() ? null : Long.valueOf(String.valueOf(lag));
    return new ServerHealth(server, true, role, readOnly, variables.getString("position"), replicating, lagSeconds, now,
        null);
  }
}
