package dev.tether.coordinator;

import java.util.List;

/**
 * What a server says about itself when the coordinator starts without a shared topology: whether it
 * answered, its executed GTID position, the server it replicates from (null: none) and whether it is
 * connected to it, and the epoch records it holds. Its read_only setting is deliberately absent: a restarted server can come back
 * writable, so being writable proves nothing.
 */
record ServerFacts(String server, boolean reachable, String position, String source, boolean sourceRunning,
                   List<EpochRecord> records) {
  ServerFacts {
    records = List.copyOf(records);
  }

  static ServerFacts unreachable(String server) {
    return new ServerFacts(server, false, null, null, false, List.of());
  }

  /** The newest epoch this server has a record of, or -1. */
  long lastEpoch() {
    return records.isEmpty() ? -1 : records.get(records.size() - 1).epoch();
  }
}
