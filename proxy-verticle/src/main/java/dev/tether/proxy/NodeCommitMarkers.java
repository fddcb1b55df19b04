package dev.tether.proxy;

import dev.tether.proxy.node.NodeServices;

import dev.tether.config.AuthPlugin;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.transaction.MarkerMaintenance;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the commit-marker table on the current primary while {@code proxy.transactions.commitMarker}
 * is on: created at node start (and until that succeeds), pruned by one node at a time. Connects as
 * the {@code proxy.accounts} user, which needs CREATE on tether_ha and DELETE on its table.
 */
final class NodeCommitMarkers {
  private NodeCommitMarkers() {}

  /** Starts the maintenance when the marker is on; returns null when it is off. */
  static MarkerMaintenance start(Vertx vertx, NodeServices services) {
    TetherConfig config = services.config();
    if (!config.proxy().transactions().commitMarker()) {
      return null;
    }
    var backend = config.backend();
    BackendConnector connector = new BackendConnector(vertx, vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) backend.connectTimeout().toMillis()).setTcpNoDelay(true)), backend,
        services::target, identity -> { }, new AtomicInteger());
    var accounts = config.proxy().accounts();
    MarkerMaintenance maintenance = new MarkerMaintenance(vertx, connector,
        new UserAccount(accounts.user(), accounts.password(), AuthPlugin.MYSQL_NATIVE_PASSWORD),
        config.proxy().transactions().markerRetention());
    maintenance.start();
    return maintenance;
  }
}
