package dev.tether.coordinator;

import io.vertx.core.Future;

/** The one way the coordinator makes a server refuse writes, with the reason counted. */
final class Fencing {
  private final ReplicationControl replication;
  private final CoordinatorMetrics metrics;

  Fencing(ReplicationControl replication, CoordinatorMetrics metrics) {
    this.replication = replication;
    this.metrics = metrics;
  }

  /** Makes {@code server} read-only; counted once the statements ran. */
  Future<Void> fence(String server, FenceReason why) {
    return replication.servers().run(server, replication.flavor().fence()).onSuccess(done -> metrics.fenced(why));
  }
}
