package dev.tether.proxy.backend;

/**
 * The primary sessions connect to, and the topology epoch that named it. A newer epoch replaces an
 * older one; a message with an older epoch is stale and ignored (fencing).
 */
public record BackendTarget(String host, int port, long epoch) {
  public String address() {
    return host + ":" + port;
  }
}
