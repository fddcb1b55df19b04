package dev.tether.proxy.switchover;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.cluster.ServerAddress;
import dev.tether.cluster.Topology;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.node.SessionCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxy node's presence in the fleet: registers the node in the shared nodes map and carries out
 * the switchover phases a coordinator sends to the node's control address, answering each with a
 * {@link PhaseAck}. A node that loses the cluster keeps serving on the last target it followed and
 * never promotes anything itself. Every second it also reads the shared topology, to follow what it
 * may have missed: a promoted newer epoch, or the end of a switchover that left it blocked.
 */
public final class ClusterAgent {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

  private final Vertx vertx;
  private final String nodeId;
  private final NodeSwitchover switchover;
  private static final long CATCH_UP_MILLIS = 1000;

  private MessageConsumer<JsonObject> consumer;
  private long catchUpTimer = -1;

  public ClusterAgent(Vertx vertx, String nodeId, NodeSwitchover switchover) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.switchover = switchover;
  }

  public Future<Void> start(JsonObject registration) {
    consumer = vertx.eventBus().consumer(Addresses.proxyControl(nodeId), message -> {
      PhaseCommand command;
      try {
        command = PhaseCommand.fromJson(message.body());
      } catch (RuntimeException e) {
        message.fail(400, "bad phase command: " + e.getMessage());
        return;
      }
      execute(command).onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result().toJson());
        } else {
          log.warn("node {}: {} epoch {} failed: {}", nodeId, command.phase(), command.epoch(), done.cause().toString());
          message.fail(500, done.cause().getMessage());
        }
      });
    });
    return consumer.completion()
        .compose(registered -> vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP))
        .compose(nodes -> nodes.put(nodeId, registration.copy().put("nodeId", nodeId)))
        .onSuccess(ignored -> {
          log.info("node {} joined the fleet", nodeId);
          catchUp(); // a node started after the topology was decided follows it at once, not a second later
          catchUpTimer = vertx.setPeriodic(CATCH_UP_MILLIS, id -> catchUp());
        });
  }

  /**
   * Follows the shared topology where a phase message was missed (dropped, or answered after the
   * coordinator's phase timeout): a newer epoch whose primary is promoted (SWITCHING or STABLE) is
   * switched to, and a block still held when the topology, read after the block began, says no
   * switchover is under way is released. Epoch fencing makes both harmless when nothing was missed.
   */
  private void catchUp() {
    long asked = System.currentTimeMillis();
    vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
        .compose(map -> map.get(Addresses.TOPOLOGY_KEY))
        .onSuccess(json -> {
          if (json == null) {
            return;
          }
          Topology topology = Topology.fromJson(json);
          boolean promoted = topology.phase() == Topology.Phase.SWITCHING || topology.phase() == Topology.Phase.STABLE;
          if (promoted && topology.epoch() > switchover.epoch()) {
            ServerAddress primary = ServerAddress.parse(topology.primary());
            log.warn("node {}: following epoch {} ({}) from the shared topology: its SWITCH did not arrive", nodeId,
                topology.epoch(), topology.primary());
            switchover.switchTo(new BackendTarget(primary.host(), primary.port(), topology.epoch()));
          }
          long blocked = switchover.blockedEpoch();
          if (topology.phase() == Topology.Phase.STABLE && blocked != -1 && switchover.blockedAtMillis() < asked) {
            log.warn("node {}: releasing the block of epoch {}: no switchover is under way", nodeId, blocked);
            switchover.restore(blocked);
          }
        });
  }

  public Future<Void> stop() {
    if (catchUpTimer >= 0) {
      vertx.cancelTimer(catchUpTimer);
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister()
        .compose(ignored -> vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP))
        .compose(nodes -> nodes.remove(nodeId))
        .mapEmpty();
  }

  private Future<PhaseAck> execute(PhaseCommand command) {
    Future<NodeSwitchover.Ack> ack = switch (command.phase()) {
      case BLOCK -> switchover.block(command.epoch(), Duration.ofMillis(command.windowMillis()),
          command.primaryHost() == null ? null
              : new BackendTarget(command.primaryHost(), command.primaryPort(), command.epoch()), command.mode());
      case SWITCH -> switchover.switchTo(new BackendTarget(command.primaryHost(), command.primaryPort(), command.epoch()),
          command.holdsUntilRestore());
      case RESTORE -> switchover.restore(command.epoch());
      case STATUS -> switchover.status();
    };
    return ack.map(done -> {
      SessionCounts counts = done.counts();
      return new PhaseAck(nodeId, command.phase(), command.epoch(), done.applied(), counts.sessions(),
          counts.quiescent(), counts.inTransaction(), counts.migrating(), done.millis(), done.reachesPrimary(),
          counts.longestHoldMillis(), counts.replayable(), counts.notReplayable());
    });
  }
}
