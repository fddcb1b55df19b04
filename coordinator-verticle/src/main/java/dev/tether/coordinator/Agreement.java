package dev.tether.coordinator;

import java.util.List;

/**
 * When a primary may be declared dead: only on agreement, never on one observer's word. The
 * coordinator's own probes must fail; every proxy node that answered must fail to reach it too;
 * and at least one replica must be reachable and report that its replication IO thread lost the
 * primary, while none reports it still connected. So a coordinator cut off from the databases
 * (it reaches no replica either) declares nothing, and neither does one whose proxies still see
 * the primary.
 */
final class Agreement {
  private Agreement() {}

  /** What one replica says about its connection to the primary; null fields mean "unreachable". */
  record ReplicaView(String server, Boolean ioThreadRunning) {}

  static boolean primaryDead(boolean coordinatorReachesPrimary, List<Boolean> proxiesReachPrimary,
                             List<ReplicaView> replicas) {
    if (coordinatorReachesPrimary) {
      return false;
    }
    if (proxiesReachPrimary.contains(Boolean.TRUE)) {
      return false; // a proxy still works with it: the coordinator's own network is the suspect
    }
    boolean someReplicaLostIt = false;
    for (ReplicaView replica : replicas) {
      if (replica.ioThreadRunning() == null) {
        continue; // unreachable replica: no vote
      }
      if (replica.ioThreadRunning()) {
        return false; // a replica still streams from it
      }
      someReplicaLostIt = true;
    }
    return someReplicaLostIt;
  }
}
