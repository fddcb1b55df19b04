package dev.tether.cluster;

/** Every event-bus address and shared-map name of the fleet, in one place. Dotted and hierarchical. */
public final class Addresses {
  private Addresses() {}

  /** Prefix of each proxy node's control address: switchover phases are requests sent here. */
  public static final String PROXY_CONTROL = "tether.proxy.control.";

  /** Shared map: node id → what the node said about itself when it registered. */
  public static final String NODES_MAP = "tether.nodes";

  public static String proxyControl(String nodeId) {
    return PROXY_CONTROL + nodeId;
  }
}
