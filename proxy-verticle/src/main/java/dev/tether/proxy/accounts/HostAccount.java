package dev.tether.proxy.accounts;

import dev.tether.config.UserAccount;

/**
 * One row of the grant tables: a user at a host pattern, whether it requires TLS, and the account
 * the proxy can authenticate, or null when the row is one the proxy must refuse (another plugin, an
 * expired password, a certificate requirement): the row still takes its place in the server's order,
 * so a client it would match is refused rather than matched by a less specific row.
 */
public record HostAccount(HostPattern host, boolean requiresTls, UserAccount account) {

  /** The account a client from {@code address} gets from this row, or null to refuse it. */
  public UserAccount forClient(boolean tls) {
    return requiresTls && !tls ? null : account;
  }
}
