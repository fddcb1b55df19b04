package dev.tether.coordinator;

import dev.tether.cluster.Topology;

/**
 * What a coordinator that takes over does with the switchover its predecessor left: a pure
 * decision from the shared topology and whether the target is writable (promoted) already.
 */
record TakeoverPlan(Action action, long epoch) {
  enum Action {
    /** Nothing was left half done (or no primary is decided: there is no switchover to resume). */
    NOTHING,
    /** The target was promoted and the topology already names it (SWITCHING): SWITCH and RESTORE again; the old primary follows. */
    FINISH_SWITCH,
    /** The target was promoted under the old topology: record its epoch, the old primary follows it, then SWITCH and RESTORE. */
    COMPLETE_PROMOTION,
    /** The target was never promoted: it follows the old primary again, which takes writes; held work goes on. */
    ROLL_BACK
  }

  /** Whether a topology in this phase leaves anything to resume, before any server is asked. */
  static boolean leftHalfDone(Topology current) {
    return switch (current.phase()) {
      case STABLE, UNDECIDED -> false;
      case BLOCKING, PROMOTING, SWITCHING -> true;
    };
  }

  /** The plan for a half-done {@code current}, given whether its target is writable. */
  static TakeoverPlan decide(Topology current, boolean targetWritable) {
    if (!leftHalfDone(current)) {
      return new TakeoverPlan(Action.NOTHING, current.epoch());
    }
    if (!targetWritable) {
      return new TakeoverPlan(Action.ROLL_BACK, current.epoch() + 1);
    }
    return current.primary().equals(current.target()) ? new TakeoverPlan(Action.FINISH_SWITCH, current.epoch())
        : new TakeoverPlan(Action.COMPLETE_PROMOTION, current.epoch() + 1);
  }
}
