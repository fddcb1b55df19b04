package dev.tether.cluster;

/** Every event-bus address and shared-map name of the fleet, in one place. Dotted and hierarchical. */
public final class Addresses {
  private Addresses() {}

  /** Prefix of each proxy node's control address: switchover phases are requests sent here. */
  public static final String PROXY_CONTROL = "tether.proxy.control.";

  /** Prefix of each proxy node's kill address (by node number): where a KILL of one of its sessions is asked. */
  public static final String PROXY_KILL = "tether.proxy.kill.";

  /** Shared map: node number (0-255) → node id holding it, with a time to live the holder renews. */
  public static final String NODE_NUMBERS_MAP = "tether.node.numbers";

  /** Shared map: user name → password and auth plugin, the users every node authenticates. */
  public static final String USERS_MAP = "tether.users";

  /** Shared map: node id → what the node said about itself when it registered. */
  public static final String NODES_MAP = "tether.nodes";

  /** Shared map: "current" → the topology ({@link Topology}) every node and coordinator follows. */
  public static final String TOPOLOGY_MAP = "tether.topology";
  public static final String TOPOLOGY_KEY = "current";

  /** Shared map: "host:port" → the server's last health reading ({@link ServerHealth}), by the active coordinator. */
  public static final String HEALTH_MAP = "tether.health";

  /** Shared map: "recent" → the last switchover and failover reports, newest first (bounded), by the active coordinator. */
  public static final String SWITCHOVERS_MAP = "tether.switchovers";
  public static final String SWITCHOVERS_KEY = "recent";

  /** Cluster-wide lock held by the active coordinator. */
  public static final String COORDINATOR_LOCK = "tether.coordinator.leader";

  public static String proxyControl(String nodeId) {
    return PROXY_CONTROL + nodeId;
  }

  public static String proxyKill(int nodeNumber) {
    return PROXY_KILL + nodeNumber;
  }
}
