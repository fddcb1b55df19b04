package dev.tether.coordinator;

import dev.tether.cluster.Labelled;

/** The runs that change the primary, as the history, the reports and the {@code kind} metric label name them. */
enum RunKind implements Labelled {
  /** An operator's switchover (admin API, {@code ./tether switchover}). */
  PLANNED,
  /** The failure detector's, after the primary was declared dead. */
  FAILOVER
}
