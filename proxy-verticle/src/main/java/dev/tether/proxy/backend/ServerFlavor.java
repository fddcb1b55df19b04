package dev.tether.proxy.backend;

import dev.tether.proxy.protocol.Capabilities;

/**
 * Which server a backend connection reached, read from its greeting: the SQL the proxy runs for
 * itself (read-backs, copies, accounts) and what some commands do to a session differ between them.
 */
public enum ServerFlavor {
  /** MariaDB 10.4+: its version string says "MariaDB" and it clears CLIENT_MYSQL in its capabilities. */
  MARIADB,
  /** MySQL 8.0.17+ (or anything else that speaks the protocol and does not say MariaDB). */
  MYSQL;

  /**
   * MariaDB when the version says so, or when CLIENT_MYSQL is clear (MariaDB's own sign, kept even
   * behind a version string rewritten by an operator); MySQL otherwise.
   */
  public static ServerFlavor of(String serverVersion, long capabilities) {
    boolean saysMariaDb = serverVersion != null && serverVersion.contains("MariaDB");
    return saysMariaDb || (capabilities & Capabilities.CLIENT_MYSQL) == 0 ? MARIADB : MYSQL;
  }
}
