package dev.tether.proxy.backend;

import dev.tether.proxy.protocol.HandshakeV10;

/**
 * What a backend says about itself in its greeting. The proxy presents the same identity to its
 * clients, because clients pick dialect and features from the version string and flavor.
 */
public record BackendIdentity(String serverVersion, long capabilities, int collation) {
  public static BackendIdentity of(HandshakeV10 greeting) {
    return new BackendIdentity(greeting.serverVersion(), greeting.capabilities(), greeting.collation());
  }

  /** The server this is, from the version string and capabilities of its greeting. */
  public ServerFlavor flavor() {
    return ServerFlavor.of(serverVersion, capabilities);
  }

  /** MariaDB rather than MySQL: the two differ in what some commands do to a session. */
  public boolean mariaDb() {
    return flavor() == ServerFlavor.MARIADB;
  }
}
