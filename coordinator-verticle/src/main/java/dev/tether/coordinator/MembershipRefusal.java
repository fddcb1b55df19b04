package dev.tether.coordinator;

/** Why a topology change (rejoin, replica remove or add, an operator's decision) was refused. */
enum MembershipRefusal implements Refused.Reason {
  /** The server named is not one of {@code coordinator.servers}. */
  NOT_CONFIGURED,
  /** The change needs a detached server and this one is in the topology. */
  NOT_DETACHED,
  /** Only a replica can be removed. */
  NOT_A_REPLICA,
  /** The topology is not in the phase the change needs (STABLE, or UNDECIDED for a decision). */
  WRONG_PHASE
}
