package dev.tether.coordinator;

/**
 * Comparing how far replicas got: the highest sequence number in a GTID position. MariaDB writes
 * "domain-server-seq" lists ("0-1-42,1-2-7"); MySQL writes "uuid:1-42" sets. One replication
 * stream per fleet is assumed, which is what Tether's own topologies use.
 */
final class GtidPositions {
  private GtidPositions() {}

  static long highestSequence(String position) {
    long highest = -1;
    if (position == null) {
      return highest;
    }
    for (String part : position.split(",")) {
      String trimmed = part.trim();
      int cut = Math.max(trimmed.lastIndexOf('-'), trimmed.lastIndexOf(':'));
      if (cut < 0 || cut == trimmed.length() - 1) {
        continue;
      }
      try {
        highest = Math.max(highest, Long.parseLong(trimmed.substring(cut + 1)));
      } catch (NumberFormatException ignored) {
        // not a sequence number: skip it
      }
    }
    return highest;
  }
}
