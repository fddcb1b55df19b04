package dev.tether.coordinator;

import dev.tether.cluster.ServerAddress;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The replication operations runs and topology changes are made of, each written once: the
 * flavor's statements run on a server with the configured replication account and phase timeout.
 */
record ReplicationControl(ServerSql servers, ReplicationFlavor flavor, CoordinatorConfig config) {

  /** The GTID position {@code server} has executed. */
  Future<String> position(String server) {
    return servers.value(server, flavor.readPosition());
  }

  /** Waits up to the phase timeout until {@code server} applied {@code position}: "0" once it has. */
  Future<String> waitFor(String server, String position) {
    return servers.value(server, flavor.waitFor(position == null ? "" : position, config.phaseTimeout().toSeconds()));
  }

  /** {@code server}'s replica status row, null when it replicates from nobody; bounded by the phase timeout. */
  Future<JsonObject> replicaStatus(String server) {
    return servers.row(server, flavor.replicaStatus(), config.phaseTimeout().toMillis());
  }

  /** Makes {@code server} writable: it is the primary now. */
  Future<Void> promote(String server) {
    return servers.run(server, flavor.promote());
  }

  /** Makes {@code server} a replica of {@code primary}; {@code wasPrimary} for a demoted primary. */
  Future<Void> follow(String server, String primary, boolean wasPrimary) {
    ServerAddress address = ServerAddress.parse(primary);
    return servers.run(server, flavor.replicateFrom(address.host(), address.port(), config.replicationUser(),
        config.replicationPassword(), wasPrimary));
  }
}
