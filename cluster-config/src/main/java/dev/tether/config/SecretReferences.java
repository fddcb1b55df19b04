package dev.tether.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Secrets given by reference instead of in the file: beside a secret key {@code password} the
 * configuration may say {@code passwordEnv: NAME} (read the environment variable NAME) or
 * {@code passwordFile: /run/secrets/x} (read the file, one trailing newline dropped). The same holds
 * for the coordinator's {@code token}, {@code adminPassword} and {@code replicationPassword}, and for
 * {@code proxy.accounts.password}.
 * References are resolved once at start; the resolved value replaces the reference in the tree.
 */
public final class SecretReferences {
  public static final String ENV_SUFFIX = "Env";
  public static final String FILE_SUFFIX = "File";

  private static final List<String> COORDINATOR_SECRETS = List.of(ConfigKeys.COORDINATOR_TOKEN,
      ConfigKeys.COORDINATOR_ADMIN_PASSWORD, ConfigKeys.COORDINATOR_REPLICATION_PASSWORD);

  private SecretReferences() {}

  /** Resolves every reference in a checked tree, in place; throws {@link ConfigException} naming the key. */
  public static JsonObject resolve(JsonObject root, Function<String, String> environment) {
    JsonObject coordinator = root.getJsonObject(ConfigKeys.COORDINATOR);
    if (coordinator != null) {
      for (String secret : COORDINATOR_SECRETS) {
        resolve(coordinator, ConfigKeys.COORDINATOR + ".", secret, environment);
      }
    }
    JsonObject proxy = root.getJsonObject(ConfigKeys.PROXY);
    JsonObject accounts = proxy == null ? null : proxy.getJsonObject(ConfigKeys.PROXY_ACCOUNTS);
    if (accounts != null) {
      resolve(accounts, ConfigKeys.PROXY + "." + ConfigKeys.PROXY_ACCOUNTS + ".", ConfigKeys.ACCOUNTS_PASSWORD, environment);
    }
    JsonArray users = root.getJsonArray(ConfigKeys.USERS);
    if (users != null) {
      for (int i = 0; i < users.size(); i++) {
        resolve(users.getJsonObject(i), ConfigKeys.USERS + "[" + i + "].", ConfigKeys.USER_PASSWORD, environment);
      }
    }
    return root;
  }

  private static void resolve(JsonObject section, String prefix, String name, Function<String, String> environment) {
    String envKey = name + ENV_SUFFIX;
    String fileKey = name + FILE_SUFFIX;
    int given = (section.containsKey(name) ? 1 : 0) + (section.containsKey(envKey) ? 1 : 0)
        + (section.containsKey(fileKey) ? 1 : 0);
    if (given > 1) {
      throw new ConfigException(prefix + name, "give only one of " + name + ", " + envKey + " and " + fileKey);
    }
    if (section.containsKey(envKey)) {
      String variable = section.getString(envKey);
      String value = environment.apply(variable);
      if (value == null) {
        throw new ConfigException(prefix + envKey, "environment variable " + variable + " is not set");
      }
      section.remove(envKey);
      section.put(name, value);
    } else if (section.containsKey(fileKey)) {
      String path = section.getString(fileKey);
      try {
        String value = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        section.remove(fileKey);
        section.put(name, value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
            : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value);
      } catch (IOException e) {
        throw new ConfigException(prefix + fileKey, "cannot read " + path + ": " + e.getMessage());
      }
    }
  }
}
