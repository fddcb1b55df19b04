package dev.tether.coordinator;

import dev.tether.cluster.Labelled;

/** Why the coordinator made a server read-only: the label of {@code tether_coordinator_fences_total{reason}}. */
enum FenceReason implements Labelled {
  /** The old primary of a planned switchover, before the target is promoted. */
  DEMOTED_PRIMARY,
  /** A configured server found writable while it is not the primary (a failed primary that restarted). */
  WRITABLE_NOT_PRIMARY,
  /** Discovery named another server the primary. */
  NOT_THE_DISCOVERED_PRIMARY,
  /** Discovery could not name a primary: every server stays read-only. */
  NO_PRIMARY_DECIDED,
  /** A detached server examined for rejoining whose history does not allow it (fenced again each round). */
  KEPT_DETACHED
}
