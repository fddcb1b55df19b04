package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The last {@link #CAPACITY} switchover and failover reports, newest first, in a Hazelcast map: a
 * standby that takes over shows what its predecessor ran. Written only by the active coordinator
 * (one writer, so read-then-write is enough); each entry is the run's report plus its kind,
 * start time and outcome (and, for a failed run, its error and {@link SwitchoverFailure} reason).
 */
final class SwitchoverHistory {
  static final int CAPACITY = 20;

  private final Vertx vertx;

  SwitchoverHistory(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Newest first. */
  Future<JsonArray> recent() {
    return map().compose(map -> map.get(Addresses.SWITCHOVERS_KEY))
        .map(json -> json == null ? new JsonArray() : json.getJsonArray("reports", new JsonArray()));
  }

  Future<Void> add(JsonObject entry) {
    return map().compose(map -> map.get(Addresses.SWITCHOVERS_KEY).compose(json -> {
      JsonArray reports = new JsonArray().add(entry);
      JsonArray before = json == null ? new JsonArray() : json.getJsonArray("reports", new JsonArray());
      for (int i = 0; i < before.size() && reports.size() < CAPACITY; i++) {
        reports.add(before.getValue(i));
      }
      return map.put(Addresses.SWITCHOVERS_KEY, new JsonObject().put("reports", reports));
    }));
  }

  /** A history entry: {@code report} (null when the run failed) with kind, start time, outcome and error. */
  static JsonObject entry(RunKind kind, long startedAtMillis, JsonObject report, Throwable failure) {
    JsonObject entry = report == null ? new JsonObject() : report.copy();
    entry.put("kind", kind.label()).put("startedAtMillis", startedAtMillis)
        .put("outcome", failure == null ? "done" : "failed");
    if (failure != null) {
      entry.put("error", String.valueOf(failure.getMessage())).put("reason", SwitchoverFailure.of(failure).name());
    }
    return entry;
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(Addresses.SWITCHOVERS_MAP);
  }
}
