package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The old primary's clients that bypass the proxies, disconnected once a switchover has moved the proxies away. */
final class ClientFencing {
  private static final Logger log = LoggerFactory.getLogger(ClientFencing.class);

  private final ServerSql servers;
  private final CoordinatorConfig config;

  ClientFencing(ServerSql servers, CoordinatorConfig config) {
    this.servers = servers;
    this.config = config;
  }

  /**
   * Fencing's second half: after SWITCH, whatever is still connected to the old primary (clients
   * that bypass the proxies) is disconnected, so nothing keeps reading a server that now follows.
   */
  Future<Void> disconnect(String oldPrimary) {
    String query = "SELECT GROUP_CONCAT(ID) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
        + " AND USER NOT IN ('system user', 'event_scheduler', " + ReplicationFlavor.quote(config.adminUser()) + ", "
        + ReplicationFlavor.quote(config.replicationUser()) + ") AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID')";
    return servers.value(oldPrimary, query).compose(ids -> {
      if (ids == null || ids.isBlank()) {
        return Future.succeededFuture();
      }
      List<String> kills = new ArrayList<>();
      for (String id : ids.split(",")) {
        kills.add("KILL CONNECTION " + Long.parseLong(id.trim()));
      }
      log.info("fencing {}: disconnecting {} client connection(s)", oldPrimary, kills.size());
      return servers.run(oldPrimary, kills).recover(e -> Future.succeededFuture()); // they may be gone already
    }).recover(e -> {
      log.warn("could not disconnect the clients of {}: {}", oldPrimary, e.getMessage());
      return Future.succeededFuture();
    });
  }}
