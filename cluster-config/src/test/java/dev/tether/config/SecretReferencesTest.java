package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets given by environment variable or by file reach the configuration; the file need hold none. */
class SecretReferencesTest {
  @TempDir
  Path dir;

  @Test
  void aUserPasswordFromAnEnvironmentVariable() {
    TetherConfig config = load(new JsonObject().put("users", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("name", "app").put("passwordEnv", "APP_PW"))), Map.of("APP_PW", "s3cret"));
    assertEquals("s3cret", config.users().get(0).password());
  }

  @Test
  void aUserPasswordFromAFileWithoutItsTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
    TetherConfig config = load(new JsonObject().put("users", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("name", "app").put("passwordFile", file.toString()))), Map.of());
    assertEquals("from-file", config.users().get(0).password());
  }

  @Test
  void theCoordinatorsTokenAndCredentialsByReference() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "tok-from-file\r\n");
    TetherConfig config = load(new JsonObject().put("coordinator", new JsonObject()
        .put("tokenFile", token.toString())
        .put("adminPasswordEnv", "ADMIN_PW")
        .put("replicationPasswordEnv", "REPL_PW")), Map.of("ADMIN_PW", "adm", "REPL_PW", "rep"));
    assertEquals("tok-from-file", config.coordinator().token());
    assertEquals("adm", config.coordinator().adminPassword());
    assertEquals("rep", config.coordinator().replicationPassword());
    assertFalse(config.coordinator().toString().contains("tok-from-file"), "never the secrets");
  }

  @Test
  void anUnsetVariableIsRefusedNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class, () -> load(new JsonObject().put("coordinator",
        new JsonObject().put("tokenEnv", "TETHER_NO_SUCH_VARIABLE")), Map.of()));
    assertEquals("coordinator.tokenEnv: environment variable TETHER_NO_SUCH_VARIABLE is not set", error.getMessage());
  }

  @Test
  void aSecretGivenTwoWaysIsRefused() {
    ConfigException error = assertThrows(ConfigException.class, () -> load(new JsonObject().put("users",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "a").put("password", "x")
            .put("passwordEnv", "X"))), Map.of("X", "y")));
    assertTrue(error.getMessage().startsWith("users[0].password: give only one of"), error.getMessage());
  }

  @Test
  void aMissingSecretFileIsRefusedNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class, () -> load(new JsonObject().put("coordinator",
        new JsonObject().put("adminPasswordFile", dir.resolve("absent").toString())), Map.of()));
    assertTrue(error.getMessage().startsWith("coordinator.adminPasswordFile: file not found"), error.getMessage());
  }

  private static TetherConfig load(JsonObject raw, Map<String, String> environment) {
    return ConfigLoader.fromChecked(raw, environment::get);
  }
}
