package dev.tether.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A user store fixed at start-up from the configuration file. */
public final class StaticUserStore implements UserStore {
  private final Map<String, UserAccount> users;

  public StaticUserStore(List<UserAccount> users) {
    this.users = users.stream().collect(Collectors.toUnmodifiableMap(UserAccount::name, Function.identity()));
  }

  @Override
  public Optional<UserAccount> find(String name) {
    return Optional.ofNullable(users.get(name));
  }
}
