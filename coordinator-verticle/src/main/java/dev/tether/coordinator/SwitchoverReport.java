package dev.tether.coordinator;

import dev.tether.cluster.PhaseAck;
import dev.tether.config.SwitchoverMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * One run's report, timed by the run's own clock: from, to and epoch, each step's time with every
 * node's acknowledgement, the longest a client command was held, and the total. Its JSON is what
 * the admin API answers, the history keeps and the metrics read.
 */
final class SwitchoverReport {
  /** The timed steps of a run, as the report and the phase-duration metric name them. */
  enum Step {
    /** Every node holds new work while open transactions finish. */
    BLOCK,
    /** The old primary is fenced, the target catches up and is promoted. */
    PROMOTE,
    /** Every node moves its sessions to the new primary. */
    SWITCH,
    /** Every node releases what it held. */
    RESTORE;

    String key() {
      return switch (this) {
        case BLOCK -> "block";
        case PROMOTE -> "promote";
        case SWITCH -> "switch";
        case RESTORE -> "restore";
      };
    }
  }

  private final Clock clock;
  private final long startedAt;
  private final JsonObject json;

  /** A report started now; {@code kind} (may be null: a planned run's report leaves it to the history) first in it. */
  SwitchoverReport(Clock clock, String kind) {
    this.clock = clock;
    this.startedAt = clock.millis();
    this.json = kind == null ? new JsonObject() : new JsonObject().put("kind", kind);
  }

  void route(String from, String to, long epoch) {
    json.put("from", from).put("to", to).put("epoch", epoch);
  }

  /** What the run did with open transactions (planned switchovers). */
  void mode(SwitchoverMode mode) {
    json.put("mode", mode.label());
  }

  /** Runs {@code step}, recording its time and the acknowledgements it returned. */
  Future<Void> timed(Step step, Supplier<Future<List<PhaseAck>>> work) {
    long started = clock.millis();
    return work.get().map(acks -> {
      JsonArray acked = new JsonArray();
      acks.forEach(ack -> acked.add(ack.toJson()));
      json.put(step.key(), new JsonObject().put("millis", clock.millis() - started).put("acks", acked));
      if (step == Step.RESTORE) { // the client-visible pause: the longest any node held a command
        json.put("longestHoldMillis", acks.stream().mapToLong(PhaseAck::longestHoldMillis).max().orElse(0));
      }
      return null;
    });
  }

  /**
   * Runs one part of {@code step} and records its time under the step's {@code parts} (the
   * promotion's fence, catch-up, promote and follow), so a report says where a slow step went.
   */
  <T> Future<T> part(Step step, String part, Supplier<Future<T>> work) {
    long started = clock.millis();
    return work.get().onSuccess(done -> {
      JsonObject parts = json.getJsonObject(step.key() + "Parts");
      if (parts == null) {
        parts = new JsonObject();
        json.put(step.key() + "Parts", parts);
      }
      parts.put(part, clock.millis() - started);
    });
  }

  /** Adds a fact the run learned (a takeover's decision, say). */
  SwitchoverReport note(String key, Object value) {
    json.put(key, value);
    return this;
  }

  /** The report of a run that finished now. */
  JsonObject finished() {
    return json.put("totalMillis", clock.millis() - startedAt);
  }
}
