package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.backend.BackendIdentity;
import dev.tether.proxy.backend.ServerFlavor;
import dev.tether.proxy.protocol.Capabilities;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-specific SQL of both flavors, exactly, and which flavor a greeting picks. */
class FlavorSqlTest {
  private static final BackendIdentity MARIADB = new BackendIdentity("5.5.5-10.11.6-MariaDB", 0xF7FEL, 45);
  private static final BackendIdentity MYSQL = new BackendIdentity("8.0.36", 0xFFFFF7FFL, 255);

  @Test
  void theGreetingSaysWhichFlavorAServerIs() {
    assertEquals(ServerFlavor.MARIADB, MARIADB.flavor());
    assertEquals(ServerFlavor.MYSQL, MYSQL.flavor());
    assertEquals(ServerFlavor.MARIADB, new BackendIdentity("8.0.36-rewritten", 0xF7FEL, 45).flavor(),
        "CLIENT_MYSQL clear is MariaDB's own sign");
    assertEquals(ServerFlavor.MARIADB, new BackendIdentity("11.4.2-MariaDB", Capabilities.CLIENT_MYSQL, 45).flavor());
    assertSame(MariaDbSql.INSTANCE, FlavorSql.of(MARIADB));
    assertSame(MySqlSql.INSTANCE, FlavorSql.of(MYSQL));
  }

  @Test
  void mariaDbReadsNamesTypesAndNumbersFromInformationSchema() {
    assertEquals("SELECT VARIABLE_NAME, VARIABLE_TYPE, CHARACTER_SET_NAME,"
        + " IF(VARIABLE_TYPE = 'VARCHAR', NULL, VARIABLE_VALUE) FROM information_schema.USER_VARIABLES"
        + " UNION ALL SELECT NULL, 'LAST_INSERT_ID', NULL, LAST_INSERT_ID()", MariaDbSql.INSTANCE.readUserVariables());
    assertThrows(IllegalStateException.class, () -> MariaDbSql.INSTANCE.describeUserVariables(List.of("a")));
  }

  @Test
  void mySqlReadsItsOwnThreadsNamesFromPerformanceSchemaThenTypesEachFromItsValue() {
    assertEquals("SELECT VARIABLE_NAME, NULL, NULL, NULL FROM performance_schema.user_variables_by_thread"
        + " WHERE THREAD_ID = PS_CURRENT_THREAD_ID()"
        + " UNION ALL SELECT NULL, 'LAST_INSERT_ID', NULL, LAST_INSERT_ID()", MySqlSql.INSTANCE.readUserVariables());
    assertEquals("SELECT " + described("@`a``b`") + ", " + described("@`c`"),
        MySqlSql.INSTANCE.describeUserVariables(List.of("a`b", "c")));
  }

  private static String described(String v) {
    String json = "JSON_TYPE(JSON_EXTRACT(JSON_ARRAY(" + v + "), '$[0]'))";
    return "CASE " + json + " WHEN 'INTEGER' THEN 'INT' WHEN 'UNSIGNED INTEGER' THEN 'INT UNSIGNED'"
        + " WHEN 'DECIMAL' THEN 'DECIMAL' WHEN 'DOUBLE' THEN 'DOUBLE' ELSE 'VARCHAR' END, CHARSET(" + v + "),"
        + " IF(" + json + " IN ('INTEGER', 'UNSIGNED INTEGER', 'DECIMAL', 'DOUBLE'), " + v + ", NULL)";
  }

  @Test
  void eachFlavorLiftsItsOwnStatementTimeout() {
    assertEquals("max_statement_time=0", MariaDbSql.INSTANCE.noStatementTimeout());
    assertEquals("max_execution_time=0", MySqlSql.INSTANCE.noStatementTimeout());
  }

  @Test
  void mariaDbSendsEachNonAsciiStatementAsAnExecuteImmediateOfUtf8mb4Bytes() {
    assertEquals(List.of("SELECT 1", "EXECUTE IMMEDIATE CONVERT(X'44524f50205441424c4520c3a9' USING utf8mb4)"),
        MariaDbSql.INSTANCE.portable(List.of("SELECT 1", "DROP TABLE é"), "ignored"));
  }

  @Test
  void mySqlHasNoExecuteImmediateSoSwitchesTheClientCharacterSetAroundTheStatements() {
    List<String> ascii = List.of("SELECT 1", "SELECT 2");
    assertEquals(ascii, MySqlSql.INSTANCE.portable(ascii, "@@session.character_set_connection"));
    assertEquals(List.of("SET SESSION character_set_client=utf8mb4", "SELECT 1", "DROP TABLE é",
            "SET SESSION character_set_client=@@session.character_set_connection"),
        MySqlSql.INSTANCE.portable(List.of("SELECT 1", "DROP TABLE é"), "@@session.character_set_connection"));
    for (String sql : MySqlSql.INSTANCE.portable(List.of("DROP TABLE é"), "'latin1'")) {
      assertFalse(sql.contains("EXECUTE IMMEDIATE"), sql);
    }
  }

  @Test
  void onlyMySqlsJsonColumnsNeedTheirBytesNamedAsUtf8mb4() {
    assertEquals("X'7b7d'", MariaDbSql.INSTANCE.bytesLiteral("longtext", "7b7d"));
    assertEquals("X'7b7d'", MariaDbSql.INSTANCE.bytesLiteral("json", "7b7d"));
    assertEquals("CONVERT(X'7b7d' USING utf8mb4)", MySqlSql.INSTANCE.bytesLiteral("json", "7b7d"));
    assertEquals("X'00ff'", MySqlSql.INSTANCE.bytesLiteral("varbinary(10)", "00ff"));
  }

  @Test
  void aColumnWhoseDefaultIsAnExpressionIsCopiedButAGeneratedOneIsNot() {
    assertTrue(TemporaryTableCopy.generated("VIRTUAL GENERATED"));
    assertTrue(TemporaryTableCopy.generated("STORED GENERATED"));
    assertFalse(TemporaryTableCopy.generated("DEFAULT_GENERATED"));
    assertFalse(TemporaryTableCopy.generated("DEFAULT_GENERATED on update CURRENT_TIMESTAMP"));
    assertFalse(TemporaryTableCopy.generated("auto_increment"));
    assertFalse(TemporaryTableCopy.generated(""));
  }
}
