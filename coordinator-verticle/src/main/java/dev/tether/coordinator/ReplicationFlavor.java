package dev.tether.coordinator;

import java.util.List;

/**
 * The SQL of promotion and replication for one database flavor, so the switchover logic is written
 * once: read the GTID position, fence (read-only), wait until a replica applied a position, promote,
 * and point a server at a new primary.
 */
public interface ReplicationFlavor {
  /** A query whose single value is the server's executed GTID position. */
  String readPosition();

  /** Makes the server refuse application writes. */
  List<String> fence();

  /** A query whose single value is 0 once the server applied {@code position}, within {@code seconds}. */
  String waitFor(String position, long seconds);

  /** Stops replication and makes the server writable: it is the primary now. */
  List<String> promote();

  /** Makes the server a read-only replica of {@code host:port}; {@code wasPrimary} for a demoted primary. */
  List<String> replicateFrom(String host, int port, String user, String password, boolean wasPrimary);

  /** The statement that shows a replica's replication state, one row. */
  String replicaStatus();

  /** Its column that is "Yes" while the replica is connected to its primary. */
  String ioRunningColumn();

  /** Its column that is "Yes" while the replica applies what it received. */
  String sqlRunningColumn();

  /** Its column with the replica's lag in seconds (NULL when it cannot say). */
  String lagColumn();

  /** Its column with the GTID position the replica has received (applied or not). */
  String receivedPositionColumn();

  /**
   * Whether a replica's status says its SQL thread has read everything the relay log holds. A
   * transaction cut off mid-stream stays unapplied while it waits for the rest; promotion
   * (STOP SLAVE) rolls it back, which is right: it was never acknowledged.
   */
  boolean readAllReceived(io.vertx.core.json.JsonObject status);

  /** Stops receiving from the (dead) primary, keeping what was received for applying. */
  List<String> stopReceiving();

  /** The replica-status columns naming the server a replica replicates from: host, then port. */
  List<String> sourceColumns();

  /**
   * A query, run on the primary, whose single value lists the transactions {@code position} (another
   * server's) holds that the primary's history lacks: "" when none, so that server may follow the
   * primary. {@code fork} is what the primary held when its history parted from that server's (the
   * fork of the first epoch after the server's own, else the primary's current position).
   */
  String extraTransactionsQuery(String position, String fork);

  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
