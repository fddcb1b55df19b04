package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.PhaseAck;
import dev.tether.cluster.PhaseCommand;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's voice to the proxy nodes: a phase sent to every registered node over the
 * clustered event bus, with the acknowledgements that arrive within the phase timeout. Only the
 * active coordinator may send anything but STATUS.
 */
final class FleetBroadcast implements PhaseSender {
  private static final Logger log = LoggerFactory.getLogger(FleetBroadcast.class);

  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final BooleanSupplier leading;

  FleetBroadcast(Vertx vertx, CoordinatorConfig config, BooleanSupplier leading) {
    this.vertx = vertx;
    this.config = config;
    this.leading = leading;
  }

  /** Sends a phase to every registered node and collects the acknowledgements that arrive in time. */
  @Override
  public Future<List<PhaseAck>> send(PhaseCommand command) {
    if (!leading.getAsBoolean() && command.phase() != PhaseCommand.Phase.STATUS) {
      return SwitchoverFailure.NOT_LEADING.fail("no longer the active coordinator: " + command.phase() + " not sent");
    }
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(config.phaseTimeout().toMillis());
    return vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.NODES_MAP)
        .compose(AsyncMap::keys)
        .compose(nodeIds -> {
          List<Future<PhaseAck>> acks = new ArrayList<>();
          for (String nodeId : nodeIds) {
            acks.add(vertx.eventBus().<JsonObject>request(Addresses.proxyControl(nodeId), command.toJson(), delivery)
                .map(reply -> PhaseAck.fromJson(reply.body()))
                .recover(failure -> {
                  log.warn("node {} did not acknowledge {} epoch {}: {}", nodeId, command.phase(), command.epoch(),
                      failure.getMessage());
                  return Future.succeededFuture(null);
                }));
          }
          return Future.all(acks).map(all -> {
            List<PhaseAck> answered = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
              if (all.resultAt(i) != null) {
                answered.add(all.resultAt(i));
              }
            }
            return answered;
          });
        });
  }

  /** Every node's sessions: per node and in total. */
  Future<JsonObject> sessions() {
    return send(PhaseCommand.status()).map(acks -> {
      JsonArray nodes = new JsonArray();
      int sessions = 0;
      int inTransaction = 0;
      int migrating = 0;
      int replayable = 0;
      java.util.Map<String, Integer> notReplayable = new java.util.TreeMap<>();
      for (PhaseAck ack : acks) {
        nodes.add(ack.toJson());
        sessions += ack.sessions();
        inTransaction += ack.inTransaction();
        migrating += ack.migrating();
        replayable += ack.replayable();
        ack.notReplayable().forEach((reason, count) -> notReplayable.merge(reason, count, Integer::sum));
      }
      JsonObject reasons = new JsonObject();
      notReplayable.forEach(reasons::put);
      return new JsonObject().put("nodes", nodes).put("sessions", sessions).put("inTransaction", inTransaction)
          .put("migrating", migrating).put("replayable", replayable).put("notReplayable", reasons);
    });
  }
}
