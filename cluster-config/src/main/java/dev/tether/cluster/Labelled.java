package dev.tether.cluster;

import java.util.Locale;

/**
 * A reason or kind enum whose values are metric labels: one rule, shared by proxy and coordinator,
 * for how a value becomes the label dashboards and the admin API read (its name in lower case, in
 * every default locale). Enums whose labels differ from their names keep a {@code label()} of their own.
 */
public interface Labelled {
  /** Implemented by {@link Enum#name()}. */
  String name();

  /** The metric label: the name in lower case. */
  default String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
