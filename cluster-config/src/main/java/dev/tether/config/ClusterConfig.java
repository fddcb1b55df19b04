package dev.tether.config;

import java.util.List;

/**
 * How a node finds the others: Hazelcast TCP-IP join over an explicit member list (loopback by
 * default; never multicast), the port it listens on for the cluster, the name it registers under,
 * and TLS on the clustered event bus.
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, String nodeId,
                            ClusterTlsConfig tls) {
  public ClusterConfig {
    members = List.copyOf(members);
    tls = tls == null ? ClusterTlsConfig.off() : tls;
  }

  /** A cluster whose event bus is plain TCP. */
  public ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, String nodeId) {
    this(enabled, name, host, port, members, nodeId, ClusterTlsConfig.off());
  }
}
