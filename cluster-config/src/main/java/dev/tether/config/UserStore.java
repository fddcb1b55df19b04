package dev.tether.config;

import java.util.Optional;

/** Where the proxy looks up the users it authenticates; later shared cluster-wide. */
public interface UserStore {
  Optional<UserAccount> find(String name);
}
