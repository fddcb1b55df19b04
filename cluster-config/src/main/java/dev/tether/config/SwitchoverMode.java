package dev.tether.config;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a planned switchover does with transactions open when it blocks: let them finish first, or
 * carry the ones the proxy can replay over to the new primary at once (issue 11). Draining stays
 * the fallback for transactions that cannot be replayed, in either mode.
 */
public enum SwitchoverMode {
  /** BLOCK waits up to the block window for every open transaction to end. */
  DRAIN,
  /** BLOCK holds replayable transactions between their commands and waits only for the others. */
  REPLAY;

  /** The name in configuration, the admin API and the launcher. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code label} (any case); throws IllegalArgumentException naming the choices otherwise. */
  public static SwitchoverMode parse(String label) {
    for (SwitchoverMode mode : values()) {
      if (mode.label().equalsIgnoreCase(label)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown switchover mode '" + label + "' (expected one of " + labels() + ")");
  }

  public static Set<String> labels() {
    return Arrays.stream(values()).map(SwitchoverMode::label).collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
