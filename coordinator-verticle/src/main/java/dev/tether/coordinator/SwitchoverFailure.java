package dev.tether.coordinator;

import dev.tether.cluster.Labelled;

/**
 * Why a switchover or failover was refused or did not finish: the label of
 * {@code tether_coordinator_switchover_failures_total{kind,reason}} and the {@code reason} of a
 * failed run in the history. The message stays the operator's text.
 */
enum SwitchoverFailure implements Refused.Reason, Labelled {
  /** Another switchover, failover or topology change is running. */
  BUSY,
  /** The shared topology shows a switchover under way (or no decided primary). */
  PHASE_IN_PROGRESS,
  /** The requested target is not a replica of the primary. */
  NOT_A_REPLICA,
  /** No replica answered: nothing can be elected. */
  NO_REACHABLE_REPLICA,
  /** The target did not apply the old primary's last transaction within the phase timeout. */
  TARGET_BEHIND,
  /** The elected replica did not apply its relay log within the phase timeout. */
  RELAY_LOG_NOT_APPLIED,
  /** This coordinator lost the leader lock mid-run. */
  NOT_LEADING,
  /** Anything else: a control statement failed or timed out, an event-bus step failed. */
  ERROR;

  /** The reason a run failed with. */
  static SwitchoverFailure of(Throwable cause) {
    return cause instanceof Refused refused && refused.reason instanceof SwitchoverFailure reason ? reason : ERROR;
  }
}
