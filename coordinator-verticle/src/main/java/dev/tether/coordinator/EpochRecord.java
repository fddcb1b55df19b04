package dev.tether.coordinator;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One row of the fleet's history kept on the database servers themselves (table
 * {@code tether_ha.epochs}, written on the primary and replicated with everything else), so that the
 * truth about which server is primary outlives every coordinator: the epoch, the primary it names,
 * and for an epoch that changed the primary, the fork position — what the new primary held when it
 * was promoted. A server whose history goes beyond that fork holds transactions the new primary
 * never received.
 */
record EpochRecord(long epoch, String primary, String forkPosition, String kind) {
  static final String SCHEMA = "tether_ha";
  static final String TABLE = SCHEMA + ".epochs";

  /** The kinds of event that start an epoch. */
  static final String DISCOVERY = "discovery";
  static final String SWITCHOVER = "switchover";
  static final String FAILOVER = "failover";
  static final String OPERATOR = "operator";

  /** Creates the table if needed and records this epoch (idempotent: a resumed run may write it twice). */
  List<String> writeStatements() {
    return List.of("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (epoch BIGINT NOT NULL PRIMARY KEY,"
            + " primary_server VARCHAR(255) NOT NULL, fork_position TEXT NULL, kind VARCHAR(16) NOT NULL,"
            + " written_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB",
        "INSERT IGNORE INTO " + TABLE + " (epoch, primary_server, fork_position, kind) VALUES (" + epoch + ", "
            + ReplicationFlavor.quote(primary) + ", "
            + (forkPosition == null ? "NULL" : ReplicationFlavor.quote(forkPosition)) + ", "
            + ReplicationFlavor.quote(kind) + ")");
  }

  /** Every recorded epoch of a server, oldest first (the table may not exist yet: that server has no history). */
  static String readQuery() {
    return "SELECT epoch, primary_server, fork_position, kind FROM " + TABLE + " ORDER BY epoch";
  }

  static EpochRecord fromRow(JsonObject row) {
    Object epoch = row.getValue("epoch");
    return new EpochRecord(epoch instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(epoch)),
        row.getString("primary_server"), row.getString("fork_position"), row.getString("kind"));
  }

  JsonObject toJson() {
    return new JsonObject().put("epoch", epoch).put("primary", primary).put("forkPosition", forkPosition)
        .put("kind", kind);
  }
}
