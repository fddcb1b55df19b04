package dev.tether.coordinator;

import java.util.List;

/** MariaDB: gtid_binlog_pos, MASTER_GTID_WAIT, CHANGE MASTER ... MASTER_USE_GTID. */
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
    return List.of("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF");
  }

  @Override
  public List<String> replicateFrom(String host, int port, String user, String password, boolean wasPrimary) {
    String change = "CHANGE MASTER TO MASTER_HOST=" + ReplicationFlavor.quote(host) + ", MASTER_PORT=" + port
        + ", MASTER_USER=" + ReplicationFlavor.quote(user) + ", MASTER_PASSWORD=" + ReplicationFlavor.quote(password)
        + ", MASTER_USE_GTID=slave_pos";
    return wasPrimary
        // a demoted primary starts replicating after what it already has
        ? List.of("SET GLOBAL read_only = ON", "STOP SLAVE", "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos", change,
            "START SLAVE")
        : List.of("SET GLOBAL read_only = ON", "STOP SLAVE", change, "START SLAVE");
  }
}
