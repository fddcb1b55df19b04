package dev.tether.proxy;

import dev.tether.config.TetherConfig;
import dev.tether.config.UserStore;
import dev.tether.proxy.accounts.DatabaseUserStore;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.node.NodeServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Adds the database's own accounts to a node's users when {@code proxy.accounts.fromDatabase} says so. */
final class NodeAccounts {
  private NodeAccounts() {}

  /** {@code configured} as it is, or wrapped in a store that also reads the primary's grant tables. */
  static Future<UserStore> withDatabaseAccounts(Vertx vertx, TetherConfig config, UserStore configured,
                                                Supplier<NodeServices> services) {
    if (!config.proxy().accounts().enabled()) {
      return Future.succeededFuture(configured);
    }
    Supplier<BackendTarget> target = () -> services.get() != null ? services.get().target()
        : new BackendTarget(config.backend().host(), config.backend().port(), 0);
    DatabaseUserStore store = DatabaseUserStore.fromGrantTables(vertx, configured, config, target);
    return store.start(vertx).recover(e -> Future.succeededFuture()).map(store);
  }
}
