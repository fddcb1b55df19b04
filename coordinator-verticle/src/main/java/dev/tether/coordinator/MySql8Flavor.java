package dev.tether.coordinator;

import java.util.List;

/**
 * MySQL 8: gtid_executed, WAIT_FOR_EXECUTED_GTID_SET, CHANGE REPLICATION SOURCE ... SOURCE_AUTO_POSITION.
 * Replication users default to caching_sha2_password, which over a plain connection needs the
 * source's RSA public key: GET_SOURCE_PUBLIC_KEY asks for it.
 */
public final class MySql8Flavor implements ReplicationFlavor {
  @Override
  public String readPosition() {
    return "SELECT @@GLOBAL.gtid_executed";
  }

  @Override
  public List<String> fence() {
    return List.of("SET GLOBAL super_read_only = ON");
  }

  @Override
  public String waitFor(String position, long seconds) {
    return "SELECT WAIT_FOR_EXECUTED_GTID_SET(" + ReplicationFlavor.quote(position) + ", " + seconds + ")";
  }

  @Override
  public List<String> promote() {
    return List.of("STOP REPLICA", "RESET REPLICA ALL", "SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
  }

  @Override
  public List<String> replicateFrom(String host, int port, String user, String password, boolean wasPrimary) {
    return List.of("SET GLOBAL super_read_only = ON", "STOP REPLICA",
        "CHANGE REPLICATION SOURCE TO SOURCE_HOST=" + ReplicationFlavor.quote(host) + ", SOURCE_PORT=" + port
            + ", SOURCE_USER=" + ReplicationFlavor.quote(user) + ", SOURCE_PASSWORD=" + ReplicationFlavor.quote(password)
            + ", SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1",
        "START REPLICA");
  }

  @Override
  public String replicaStatus() {
    return "SHOW REPLICA STATUS";
  }

  @Override
  public String ioRunningColumn() {
    return "Replica_IO_Running";
  }

  @Override
  public String sqlRunningColumn() {
    return "Replica_SQL_Running";
  }

  @Override
  public String lagColumn() {
    return "Seconds_Behind_Source";
  }

  @Override
  public String receivedPositionColumn() {
    return "Retrieved_Gtid_Set";
  }

  @Override
  public List<String> stopReceiving() {
    return List.of("STOP REPLICA IO_THREAD");
  }

  @Override
  public boolean readAllReceived(io.vertx.core.json.JsonObject status) {
    String state = status == null ? null : status.getString("Replica_SQL_Running_State");
    return state != null && state.contains("read all relay log");
  }

  @Override
  public List<String> sourceColumns() {
    return List.of("Source_Host", "Source_Port");
  }

  @Override
  public String extraTransactionsQuery(String position, String fork) {
    // GTID sets are exact: what that server executed and the primary did not, whatever the fork
    return "SELECT GTID_SUBTRACT(" + ReplicationFlavor.quote(position) + ", @@GLOBAL.gtid_executed)";
  }
}
