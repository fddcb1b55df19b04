package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import io.vertx.core.Future;
import java.util.List;

/** How a switchover speaks to the proxy nodes: {@link FleetBroadcast} on the event bus, a fake in the narrated tests. */
interface PhaseSender {
  /** Sends a phase to every registered node; the acknowledgements that arrived in time. */
  Future<List<PhaseAck>> send(PhaseCommand command);
}
