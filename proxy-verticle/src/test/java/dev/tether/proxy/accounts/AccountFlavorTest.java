package dev.tether.proxy.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.backend.BackendIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each flavor's grant-table query, and which rows it lets the proxy authenticate. */
class AccountFlavorTest {
  private static final String HASH = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"; // PASSWORD('password')

  @Test
  void theServerPicksItsGrantTables() {
    assertInstanceOf(MariaDbAccounts.class, AccountFlavor.of(new BackendIdentity("5.5.5-10.11.6-MariaDB", 0xF7FEL, 45)));
    assertInstanceOf(MySqlAccounts.class, AccountFlavor.of(new BackendIdentity("8.0.36", 0xFFFFF7FFL, 255)));
  }

  @Test
  void mySqlReadsMysqlUserForAnyHost() {
    assertEquals("SELECT User, plugin, authentication_string, password_expired FROM mysql.user"
        + " WHERE Host = '%' AND User <> ''", new MySqlAccounts().query());
  }

  @Test
  void mySqlAuthenticatesOnlyNativeAccountsWithAHashWhosePasswordIsNotExpired() {
    MySqlAccounts flavor = new MySqlAccounts();
    assertEquals("shop", flavor.account(row("shop", "mysql_native_password", HASH, "N")).orElseThrow().name());
    assertTrue(flavor.account(row("shop", "mysql_native_password", HASH, "Y")).isEmpty(), "expired");
    assertTrue(flavor.account(row("shop", "caching_sha2_password", "$A$005$salt", "N")).isEmpty(), "another plugin");
    assertTrue(flavor.account(row("shop", "mysql_native_password", "", "N")).isEmpty(), "no password");
  }

  private static List<byte[]> row(String... values) {
    return Arrays.stream(values).map(v -> v == null ? null : v.getBytes(StandardCharsets.UTF_8)).toList();
  }
}
