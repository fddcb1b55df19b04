package dev.tether.coordinator;

import java.util.List;

/**
 * MariaDB: gtid_binlog_pos, MASTER_GTID_WAIT, CHANGE MASTER ... MASTER_USE_GTID. Semi-synchronous
 * replication follows the roles: its master side is on for the primary only (a replica with it on
 * would wait for acknowledgements of what it applies from replicas it does not have), its slave
 * side on for every replica.
 */
public final class MariaDbFlavor implements ReplicationFlavor {
  @Override
  public String readPosition() {
    return "SELECT @@gtid_binlog_pos";
  }

  @Override
  public List<String> fence() {
    return List.of("SET GLOBAL read_only = ON");
  }

  @Override
  public String waitFor(String position, long seconds) {
    return "SELECT MASTER_GTID_WAIT(" + ReplicationFlavor.quote(position) + ", " + seconds + ")";
  }

  @Override
  public List<String> promote() {
    // wait_no_slave OFF: until a replica connects, commits (the epoch record first) do not stall for the
    // semi-sync timeout; they are asynchronous then, as they would be once that timeout expired anyway
    return List.of("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL rpl_semi_sync_slave_enabled = OFF",
        "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF", "SET GLOBAL rpl_semi_sync_master_enabled = ON",
        "SET GLOBAL read_only = OFF");
  }

  @Override
  public List<String> replicateFrom(String host, int port, String user, String password, boolean wasPrimary) {
    String change = "CHANGE MASTER TO MASTER_HOST=" + ReplicationFlavor.quote(host) + ", MASTER_PORT=" + port
        + ", MASTER_USER=" + ReplicationFlavor.quote(user) + ", MASTER_PASSWORD=" + ReplicationFlavor.quote(password)
        + ", MASTER_USE_GTID=slave_pos";
    List<String> statements = new java.util.ArrayList<>(List.of("SET GLOBAL read_only = ON", "STOP SLAVE",
        "SET GLOBAL rpl_semi_sync_master_enabled = OFF", "SET GLOBAL rpl_semi_sync_slave_enabled = ON"));
    if (wasPrimary) {
      statements.add("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"); // a demoted primary continues after what it has
    }
    statements.add(change);
    statements.add("START SLAVE");
    return statements;
  }

  @Override
  public String replicaStatus() {
    return "SHOW SLAVE STATUS";
  }

  @Override
  public String ioRunningColumn() {
    return "Slave_IO_Running";
  }

  @Override
  public String sqlRunningColumn() {
    return "Slave_SQL_Running";
  }

  @Override
  public String lagColumn() {
    return "Seconds_Behind_Master";
  }

  @Override
  public String receivedPositionColumn() {
    return "Gtid_IO_Pos";
  }

  @Override
  public List<String> stopReceiving() {
    return List.of("STOP SLAVE IO_THREAD");
  }

  @Override
  public boolean readAllReceived(io.vertx.core.json.JsonObject status) {
    String state = status == null ? null : status.getString("Slave_SQL_Running_State");
    return state != null && state.contains("read all relay log");
  }

  @Override
  public List<String> sourceColumns() {
    return List.of("Master_Host", "Master_Port");
  }

  @Override
  public String extraTransactionsQuery(String position, String fork) {
    // MariaDB has no GTID set arithmetic: sequence numbers are compared here, against the fork
    return "SELECT " + ReplicationFlavor.quote(MariaDbGtids.beyond(position, fork));
  }
}
