package dev.tether.coordinator;

import io.vertx.core.Future;

/** The one way the coordinator makes a server refuse writes, with the reason counted. */
final class Fencing {
  private final ServerSql servers;
  private final ReplicationFlavor flavor;
  private final CoordinatorMetrics metrics;

  Fencing(ServerSql servers, ReplicationFlavor flavor, CoordinatorMetrics metrics) {
    this.servers = servers;
    this.flavor = flavor;
    this.metrics = metrics;
  }

  /** Makes {@code server} read-only; counted once the statements ran. */
  Future<Void> fence(String server, FenceReason why) {
    return servers.run(server, flavor.fence()).onSuccess(done -> metrics.fenced(why));
  }
}
