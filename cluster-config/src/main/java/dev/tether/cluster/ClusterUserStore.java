package dev.tether.cluster;

import dev.tether.config.AuthPlugin;
import dev.tether.config.UserAccount;
import dev.tether.config.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users every node of the fleet authenticates, shared through a Hazelcast map. Each node adds
 * the users of its own configuration (without replacing what is there) and looks users up in a
 * local snapshot of the map, refreshed every few seconds, so a lookup never waits on the cluster.
 * The map holds passwords: the proxy must log users into any backend. It lives only in the cluster
 * members' memory, which is bound to loopback by default.
 */
public final class ClusterUserStore implements UserStore {
  private static final Logger log = LoggerFactory.getLogger(ClusterUserStore.class);
  private static final long REFRESH_MILLIS = 3_000;

  private final Map<String, UserAccount> snapshot = new ConcurrentHashMap<>();
  private AsyncMap<String, JsonObject> shared;

  private ClusterUserStore() {}

  /** Joins the shared user map with {@code configured} users and starts refreshing the snapshot. */
  public static Future<ClusterUserStore> start(Vertx vertx, List<UserAccount> configured) {
    ClusterUserStore store = new ClusterUserStore();
    configured.forEach(user -> store.snapshot.put(user.name(), user));
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.USERS_MAP).compose(map -> {
      store.shared = map;
      Future<Void> seeded = Future.succeededFuture();
      for (UserAccount user : configured) {
        seeded = seeded.compose(ignored -> map.putIfAbsent(user.name(), toJson(user)).mapEmpty());
      }
      return seeded;
    }).compose(ignored -> store.refresh()).map(ignored -> {
      vertx.setPeriodic(REFRESH_MILLIS, id -> store.refresh()
          .onFailure(e -> log.warn("could not refresh the shared users: {}", e.getMessage())));
      return store;
    });
  }

  @Override
  public Optional<UserAccount> find(String name) {
    return Optional.ofNullable(snapshot.get(name));
  }

  private Future<Void> refresh() {
    return shared.entries().map(entries -> {
      entries.forEach((name, json) -> snapshot.put(name, new UserAccount(name, json.getString("password"),
          AuthPlugin.parse(json.getString("authPlugin")))));
      return null;
    });
  }

  private static JsonObject toJson(UserAccount user) {
    return new JsonObject().put("password", user.password()).put("authPlugin", user.authPlugin().wireName());
  }
}
