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
  void mySqlReadsEveryRowOfMysqlUserWithItsHost() {
    assertEquals("SELECT User, Host, plugin, authentication_string, password_expired, ssl_type FROM mysql.user"
        + " WHERE User <> ''", new MySqlAccounts().query());
  }

  @Test
  void mySqlAuthenticatesOnlyNativeAccountsWithAHashWhosePasswordIsNotExpired() {
    MySqlAccounts flavor = new MySqlAccounts();
    assertEquals("shop", usable(flavor, row("shop", "%", "mysql_native_password", HASH, "N", "")).name());
    assertEquals(null, usable(flavor, row("shop", "%", "mysql_native_password", HASH, "Y", "")), "expired");
    assertEquals(null, usable(flavor, row("shop", "%", "caching_sha2_password", "$A$005$salt", "N", "")), "another plugin");
    assertEquals(null, usable(flavor, row("shop", "%", "mysql_native_password", "", "N", "")), "no password");
    assertEquals(null, usable(flavor, row("shop", "%", "mysql_native_password", HASH, "N", "X509")), "a certificate");
  }

  @Test
  void requireSslAsksForATlsClientAndTheRowKeepsItsHost() {
    HostAccount row = new MySqlAccounts().account(row("shop", "10.0.%", "mysql_native_password", HASH, "N", "ANY"))
        .orElseThrow();
    assertEquals("10.0.%", row.host().text());
    assertEquals(null, row.forClient(false), "a plain client is refused");
    assertEquals("shop", row.forClient(true).name());
  }

  @Test
  void mariaDbReadsTheSslTypeFromTheJsonPrivileges() {
    MariaDbAccounts flavor = new MariaDbAccounts();
    assertTrue(flavor.account(row("shop", "%", "mysql_native_password", HASH, "1", "1")).orElseThrow().requiresTls());
    assertEquals(null, usable(flavor, row("shop", "%", "mysql_native_password", HASH, "1", "2")), "X509");
    assertEquals(null, usable(flavor, row("shop", "%", "mysql_native_password", HASH, "0", "0")), "expired");
  }

  private static dev.tether.config.UserAccount usable(AccountFlavor flavor, List<byte[]> row) {
    return flavor.account(row).orElseThrow().forClient(true);
  }

  private static List<byte[]> row(String... values) {
    return Arrays.stream(values).map(v -> v == null ? null : v.getBytes(StandardCharsets.UTF_8)).toList();
  }
}
