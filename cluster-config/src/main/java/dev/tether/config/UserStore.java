package dev.tether.config;

import java.util.Optional;

/** Where the proxy looks up the users it authenticates; later shared cluster-wide. */
public interface UserStore {
  Optional<UserAccount> find(String name);

  /**
   * The account a client connecting from {@code clientAddress} (an IP literal; null for any) gets
   * for {@code name}, over TLS or not; stores that know no hosts answer {@link #find(String)}.
   */
  default Optional<UserAccount> find(String name, String clientAddress, boolean tls) {
    return find(name);
  }
}
