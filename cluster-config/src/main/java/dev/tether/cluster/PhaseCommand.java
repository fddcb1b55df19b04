package dev.tether.cluster;

import dev.tether.config.SwitchoverMode;
import io.vertx.core.json.JsonObject;

/**
 * A switchover phase a coordinator asks a proxy node to carry out. Every command carries the
 * topology epoch; a node ignores one older than what it already follows (fencing). SWITCH names
 * the new primary; BLOCK carries the window transactions get to finish and the {@link SwitchoverMode}:
 * drain open transactions, or hold the replayable ones for replay on the new primary. A command
 * without a mode (from an older coordinator) drains. A SWITCH that {@code holdsUntilRestore} (a
 * coordinator's, always followed by RESTORE) has the node hold every new command, in a transaction
 * or not, until RESTORE: every transaction carried over is then replayed before anything else runs
 * on the new primary, so no replay reads a commit made after the loss. Without the flag (an older
 * coordinator's, or a node following the shared topology by itself) commands go on at once.
 */
public record PhaseCommand(Phase phase, long epoch, String primaryHost, int primaryPort, long windowMillis,
                           SwitchoverMode mode, boolean holdsUntilRestore) {
  public PhaseCommand {
    mode = mode == null ? SwitchoverMode.DRAIN : mode;
  }

  public enum Phase {
    /** Hold new work outside transactions; let open transactions finish within the window. */
    BLOCK,
    /** Follow the new primary: every session migrates between commands. */
    SWITCH,
    /** Release held work. */
    RESTORE,
    /** Report where the node's sessions stand; changes nothing. */
    STATUS
  }

  public static PhaseCommand block(long epoch, long windowMillis) {
    return new PhaseCommand(Phase.BLOCK, epoch, null, 0, windowMillis, SwitchoverMode.DRAIN, false);
  }

  /** BLOCK naming the server SWITCH will name, so nodes can prepare their sessions' connections to it. */
  public static PhaseCommand block(long epoch, long windowMillis, ServerAddress target, SwitchoverMode mode) {
    return new PhaseCommand(Phase.BLOCK, epoch, target.host(), target.port(), windowMillis, mode, false);
  }

  /** SWITCH after which commands go on at once. */
  public static PhaseCommand switchTo(long epoch, String host, int port) {
    return new PhaseCommand(Phase.SWITCH, epoch, host, port, 0, null, false);
  }

  /** SWITCH after which the node holds every new command until RESTORE (see the class comment). */
  public static PhaseCommand switchAndHold(long epoch, String host, int port) {
    return new PhaseCommand(Phase.SWITCH, epoch, host, port, 0, null, true);
  }

  public static PhaseCommand restore(long epoch) {
    return new PhaseCommand(Phase.RESTORE, epoch, null, 0, 0, null, false);
  }

  public static PhaseCommand status() {
    return new PhaseCommand(Phase.STATUS, 0, null, 0, 0, null, false);
  }

  public JsonObject toJson() {
    return new JsonObject().put("phase", phase.name()).put("epoch", epoch).put("primaryHost", primaryHost)
        .put("primaryPort", primaryPort).put("windowMillis", windowMillis).put("mode", mode.label())
        .put("holdsUntilRestore", holdsUntilRestore);
  }

  public static PhaseCommand fromJson(JsonObject json) {
    return new PhaseCommand(Phase.valueOf(json.getString("phase")), json.getLong("epoch"),
        json.getString("primaryHost"), json.getInteger("primaryPort", 0), json.getLong("windowMillis", 0L),
        SwitchoverMode.parse(json.getString("mode", SwitchoverMode.DRAIN.label())),
        json.getBoolean("holdsUntilRestore", false));
  }
}
