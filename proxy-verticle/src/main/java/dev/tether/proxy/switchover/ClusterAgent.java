package dev.tether.proxy.switchover;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.proxy.SessionCounts;
import dev.tether.proxy.backend.BackendTarget;
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
 * never promotes anything itself.
 */
public final class ClusterAgent {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

  private final Vertx vertx;
  private final String nodeId;
  private final NodeSwitchover switchover;
  private MessageConsumer<JsonObject> consumer;

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
        .onSuccess(ignored -> log.info("node {} joined the fleet", nodeId));
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister()
        .compose(ignored -> vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP))
        .compose(nodes -> nodes.remove(nodeId))
        .mapEmpty();
  }

  private Future<PhaseAck> execute(PhaseCommand command) {
    Future<NodeSwitchover.Ack> ack = switch (command.phase()) {
      case BLOCK -> switchover.block(command.epoch(), Duration.ofMillis(command.windowMillis()),
          command.primaryHost() == null ? null
              : new BackendTarget(command.primaryHost(), command.primaryPort(), command.epoch()));
      case SWITCH -> switchover.switchTo(new BackendTarget(command.primaryHost(), command.primaryPort(), command.epoch()));
      case RESTORE -> switchover.restore(command.epoch());
      case STATUS -> switchover.status();
    };
    return ack.map(done -> {
      SessionCounts counts = done.counts();
      return new PhaseAck(nodeId, command.phase(), command.epoch(), done.applied(), counts.sessions(),
          counts.quiescent(), counts.inTransaction(), counts.migrating(), done.millis(), done.reachesPrimary());
    });
  }
}
