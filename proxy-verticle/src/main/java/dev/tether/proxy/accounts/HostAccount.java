package dev.tether.proxy.accounts;

import dev.tether.config.UserAccount;

/**
 * One row of the grant tables: a user at a host pattern, whether it requires TLS, and the account
 * the proxy can authenticate, or null when the row is one the proxy must refuse (another plugin, an
 * expired password, a certificate requirement): the row still takes its place in the server's order,
 * so a client it would match is refused rather than matched by a less specific row.
 */
public record HostAccount(HostPattern host, boolean requiresTls, UserAccount account) {

  /**
   * One grant-table row as the proxy judges it: usable only with mysql_native_password, a stored
   * hash, a password that has not expired and no client-certificate requirement.
   */
  static HostAccount judge(String user, String host, String plugin, String storedHash, boolean expired,
                           boolean requiresTls, boolean requiresCertificate) {
    byte[] hash = dev.tether.proxy.protocol.AuthScramble.parseNativeHash(storedHash);
    boolean usable = "mysql_native_password".equals(plugin) && hash != null && !expired && !requiresCertificate;
    return new HostAccount(new HostPattern(host), requiresTls, usable ? UserAccount.fromNativeHash(user, hash) : null);
  }

  /** The account a client from {@code address} gets from this row, or null to refuse it. */
  public UserAccount forClient(boolean tls) {
    return requiresTls && !tls ? null : account;
  }
}
