package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The promotion SQL of both flavors, exactly (MySQL 8 is exercised for real only where Docker exists). */
class FlavorSqlTest {

  @Test
  void mariaDbPromotionUsesGtidSlavePosAndMasterGtidWait() {
    MariaDbFlavor flavor = new MariaDbFlavor();
    assertEquals("SELECT MASTER_GTID_WAIT('0-1-42', 10)", flavor.waitFor("0-1-42", 10));
    assertEquals(List.of("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL rpl_semi_sync_slave_enabled = OFF",
        "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF", "SET GLOBAL rpl_semi_sync_master_enabled = ON",
        "SET GLOBAL read_only = OFF"), flavor.promote());
    assertEquals(List.of("SET GLOBAL read_only = ON", "STOP SLAVE", "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
        "SET GLOBAL rpl_semi_sync_slave_enabled = ON", "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos",
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=13307, MASTER_USER='repl', MASTER_PASSWORD='it''s',"
            + " MASTER_USE_GTID=slave_pos", "START SLAVE"),
        flavor.replicateFrom("127.0.0.1", 13307, "repl", "it's", true));
  }

  @Test
  void mySql8PromotionUsesGtidExecutedAndReplicationSource() {
    MySql8Flavor flavor = new MySql8Flavor();
    assertEquals("SELECT @@GLOBAL.gtid_executed", flavor.readPosition());
    assertEquals("SELECT WAIT_FOR_EXECUTED_GTID_SET('uuid:1-5', 3)", flavor.waitFor("uuid:1-5", 3));
    assertEquals(List.of("SET GLOBAL super_read_only = ON"), flavor.fence());
    assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2', SOURCE_PORT=3306, SOURCE_USER='repl',"
        + " SOURCE_PASSWORD='pw', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1", flavor.replicateFrom("db2", 3306, "repl", "pw", false).get(2));
  }

  @Test
  void divergenceIsComparedAgainstTheForkOnMariaDbAndByGtidSetsOnMySql8() {
    assertEquals("SELECT '0-1-105 (5 after 0-2-100)'", new MariaDbFlavor().extraTransactionsQuery("0-1-105", "0-2-100"));
    assertEquals("SELECT ''", new MariaDbFlavor().extraTransactionsQuery("0-1-100", "0-2-100"));
    assertEquals("SELECT GTID_SUBTRACT('uuid:1-7', @@GLOBAL.gtid_executed)",
        new MySql8Flavor().extraTransactionsQuery("uuid:1-7", null));
    assertEquals(List.of("Master_Host", "Master_Port"), new MariaDbFlavor().sourceColumns());
    assertEquals(List.of("Source_Host", "Source_Port"), new MySql8Flavor().sourceColumns());
  }

  @Test
  void epochRecordsAreWrittenIdempotentlyAndReadOldestFirst() {
    List<String> write = new EpochRecord(3, "127.0.0.1:13307", "0-1-42", EpochRecord.FAILOVER).writeStatements();
    assertEquals("CREATE DATABASE IF NOT EXISTS tether_ha", write.get(0));
    assertEquals("INSERT IGNORE INTO tether_ha.epochs (epoch, primary_server, fork_position, kind) VALUES (3,"
        + " '127.0.0.1:13307', '0-1-42', 'failover')", write.get(2));
    assertEquals("SELECT epoch, primary_server, fork_position, kind FROM tether_ha.epochs ORDER BY epoch",
        EpochRecord.readQuery());
  }
}
