package dev.tether.config;

import java.util.List;

/**
 * How a node finds the others: Hazelcast TCP-IP join over an explicit member list (loopback by
 * default; never multicast), the port it listens on for the cluster, and the name it registers under.
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, String nodeId) {
  public ClusterConfig {
    members = List.copyOf(members);
  }
}
