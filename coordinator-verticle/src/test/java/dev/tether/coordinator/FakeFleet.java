package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Proxy nodes played by a scenario: every phase sent is kept, each node acknowledges it, and a
 * phase takes the time the scenario gave it on the run's clock.
 */
final class FakeFleet implements PhaseSender {
  final List<PhaseCommand> sent = new ArrayList<>();
  private final ManualClock clock;
  private final List<String> nodes;
  private final Map<PhaseCommand.Phase, Long> takes = new EnumMap<>(PhaseCommand.Phase.class);
  /** The longest a node held a client command, reported at RESTORE. */
  long longestHoldMillis;

  FakeFleet(ManualClock clock, String... nodes) {
    this.clock = clock;
    this.nodes = List.of(nodes);
  }

  FakeFleet takes(PhaseCommand.Phase phase, long millis) {
    takes.put(phase, millis);
    return this;
  }

  @Override
  public synchronized Future<List<PhaseAck>> send(PhaseCommand command) {
    sent.add(command);
    clock.advance(takes.getOrDefault(command.phase(), 0L));
    List<PhaseAck> acks = new ArrayList<>();
    for (String node : nodes) {
      acks.add(new PhaseAck(node, command.phase(), command.epoch(), true, 4, 4, 0, 0, 0, false,
          command.phase() == PhaseCommand.Phase.RESTORE ? longestHoldMillis : 0));
    }
    return Future.succeededFuture(acks);
  }

  /** What was sent, as "PHASE epoch" lines. */
  synchronized List<String> phases() {
    return sent.stream().map(c -> c.phase() + " " + c.epoch()).toList();
  }
}
