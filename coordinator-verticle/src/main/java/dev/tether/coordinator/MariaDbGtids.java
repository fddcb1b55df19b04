package dev.tether.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MariaDB GTID positions ("domain-server-seq" lists) compared the way gtid_strict_mode lets us:
 * within a domain sequence numbers only grow, so a server whose last sequence in a domain is beyond
 * the fork (what the new primary held of that domain when it was promoted) holds transactions the
 * new primary never received; at or below the fork, its history is a prefix of the primary's.
 */
final class MariaDbGtids {
  private MariaDbGtids() {}

  /** What {@code position} holds beyond {@code fork}, e.g. "0-1-28455 (5 after 0-1-28450)"; "" when nothing. */
  static String beyond(String position, String fork) {
    Map<Long, long[]> forkByDomain = parse(fork);
    StringBuilder extra = new StringBuilder();
    for (Map.Entry<Long, long[]> entry : parse(position).entrySet()) {
      long[] mine = entry.getValue();
      long[] theirs = forkByDomain.get(entry.getKey());
      long forkSequence = theirs == null ? 0 : theirs[1];
      if (mine[1] > forkSequence) {
        if (extra.length() > 0) {
          extra.append(", ");
        }
        extra.append(entry.getKey()).append('-').append(mine[0]).append('-').append(mine[1]).append(" (")
            .append(mine[1] - forkSequence).append(theirs == null ? " in a domain the primary never had)"
                : " after " + entry.getKey() + "-" + theirs[0] + "-" + theirs[1] + ")");
      }
    }
    return extra.toString();
  }

  /** domain → {server id, sequence}; malformed parts are skipped. */
  private static Map<Long, long[]> parse(String position) {
    Map<Long, long[]> byDomain = new LinkedHashMap<>();
    if (position == null) {
      return byDomain;
    }
    for (String part : position.split(",")) {
      String[] fields = part.trim().split("-");
      if (fields.length != 3) {
        continue;
      }
      try {
        byDomain.put(Long.parseLong(fields[0]), new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
      } catch (NumberFormatException ignored) {
        // not a GTID: skip it
      }
    }
    return byDomain;
  }
}
